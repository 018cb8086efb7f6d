"""How far a target has got: the status rules, kept apart from models so they are easy to test.

A target is *met* when its latest measurement satisfies the comparator. Otherwise it is *behind*
once its deadline (31 December of the target year) has passed; before that it is *on track* when
the latest value is at least as good as a straight line from the starting point (the baseline,
or else the first measurement) to the target would require by that date.

A task's status comes from its targets (task_status), unless an editor has recorded a dated
assessment, which then stands. Once the plan's period is over (its last phase has ended), nothing is
"on track" any more: every status becomes a final verdict (final_status, LABELS[True]).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# "约/左右" targets count as met within this share of the target.
APPROXIMATE_TOLERANCE = Decimal("0.05")


class Status(models.TextChoices):
    MET = "met", _("已达标")
    ON_TRACK = "on_track", _("按计划推进")
    BEHIND = "behind", _("滞后")
    NO_DATA = "no_data", _("暂无数据")


# What each status is called, during the plan (False) and once its period is over (True), and the one
# sentence the legend says about it. After the period "on track" is no verdict: it does not appear.
LABELS = {
    False: {
        Status.MET: _("已达标"),
        Status.ON_TRACK: _("按计划推进"),
        Status.BEHIND: _("滞后"),
        Status.NO_DATA: _("暂无数据"),
    },
    True: {
        Status.MET: _("已完成"),
        Status.BEHIND: _("未完成"),
        Status.NO_DATA: _("无数据"),
    },
}
EXPLANATIONS = {
    False: {
        Status.MET: _("最新数据已达到目标值;任务则是全部量化目标都已达到,或经编辑评估已完成。"),
        Status.ON_TRACK: _("还没达到目标,但进度不慢于从起点到目标年份的匀速进度线。"),
        Status.BEHIND: _("进度慢于匀速进度线,或目标年份已过仍未达到目标。"),
        Status.NO_DATA: _("还没有发布监测数据(或部分目标缺少数据),也没有编辑评估,暂时无法判断。"),
    },
    True: {
        Status.MET: _("实施期结束时已达到目标;任务则是全部量化目标都已达到,或经编辑评估已完成。"),
        Status.BEHIND: _("实施期结束时仍未达到目标,或经编辑评估未完成。"),
        Status.NO_DATA: _("实施期结束时没有监测数据(或部分目标缺少数据),也没有编辑评估,无法判定是否完成。"),
    },
}


def final_status(status: str) -> str:
    """The verdict once the plan's period is over: a target not met by then was not met."""
    return Status.BEHIND if status == Status.ON_TRACK else status


def shown_status(status: str, ended: bool) -> str:
    return final_status(status) if ended else status


def status_label(status: str, ended: bool = False) -> str:
    return str(LABELS[ended].get(shown_status(status, ended), ""))


def plan_ended(closing_date: date | None, today: date) -> bool:
    """Whether the plan's period is over on `today`: the day after its last phase ends."""
    return closing_date is not None and today > closing_date


def task_status(indicator_statuses: list[str], assessment: str = "") -> str:
    """A task's status: the editor's assessment when there is one; else from its targets. All met: met;
    any behind: behind; every target with data and none behind: on track; otherwise (no target, or a
    target without data) there is nothing to judge the whole task by: no data."""
    if assessment:
        return assessment
    statuses = set(indicator_statuses)
    if Status.BEHIND in statuses:
        return Status.BEHIND
    if not statuses or Status.NO_DATA in statuses:
        return Status.NO_DATA
    if statuses == {Status.MET}:
        return Status.MET
    return Status.ON_TRACK


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("不低于")
    AT_MOST = "<=", _("不高于")
    ABOUT = "=", _("约为")
    RANGE = "range", _("介于")


class Better(models.TextChoices):
    HIGHER = "higher", _("越高越好")
    LOWER = "lower", _("越低越好")


@dataclass(frozen=True)
class Point:
    date: date
    value: Decimal


@dataclass(frozen=True)
class Target:
    comparator: str
    value: Decimal
    value_max: Decimal | None
    year: int
    better: str
    baseline: Decimal | None = None
    baseline_year: int | None = None

    @property
    def deadline(self) -> date:
        return date(self.year, 12, 31)

    def is_met_by(self, value: Decimal) -> bool:
        if self.comparator == Comparator.AT_LEAST:
            return value >= self.value
        if self.comparator == Comparator.AT_MOST:
            return value <= self.value
        if self.comparator == Comparator.RANGE:
            return self.value <= value <= (self.value_max if self.value_max is not None else self.value)
        return abs(value - self.value) <= abs(self.value) * APPROXIMATE_TOLERANCE

    def at_least_as_good(self, value: Decimal, other: Decimal) -> bool:
        return value >= other if self.better == Better.HIGHER else value <= other


def evaluate(target: Target, points: list[Point], today: date) -> Status:
    """The status of a target given its measurements (oldest first) as seen on `today`.

    Only the first and the last point are read: IndicatorReading stores just those two, so a rule
    that looked at more of the series would need the reading to keep more."""
    if not points:
        return Status.NO_DATA
    latest = points[-1]
    if target.is_met_by(latest.value):
        return Status.MET
    if today > target.deadline or latest.date > target.deadline:
        return Status.BEHIND
    if target.baseline is not None and target.baseline_year is not None:
        start = Point(date(target.baseline_year, 12, 31), target.baseline)
    else:
        start = points[0]
    if start.date >= latest.date:
        # A single reading with no baseline cannot show a trend; before the deadline it is not late.
        return Status.ON_TRACK
    elapsed = Decimal((latest.date - start.date).days) / Decimal(max((target.deadline - start.date).days, 1))
    expected = start.value + (target.value - start.value) * min(elapsed, Decimal(1))
    return Status.ON_TRACK if target.at_least_as_good(latest.value, expected) else Status.BEHIND


def progress_percent(target: Target, value: Decimal | None) -> int:
    """A 0–100 figure for a progress bar: how close the value is to the target."""
    if value is None:
        return 0
    if target.is_met_by(value):
        return 100
    goal = target.value
    if target.better == Better.LOWER:
        ratio = goal / value if value else Decimal(1)
    elif target.baseline is not None and goal != target.baseline:
        ratio = (value - target.baseline) / (goal - target.baseline)
    else:
        ratio = value / goal if goal else Decimal(0)
    return max(0, min(99, int(ratio * 100)))
