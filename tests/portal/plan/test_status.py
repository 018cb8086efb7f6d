"""The status rules: met, on track, behind, no data."""

import datetime
from decimal import Decimal as D

import pytest

from portal.plan.status import (
    EXPLANATIONS,
    LABELS,
    Point,
    Status,
    Target,
    evaluate,
    final_status,
    plan_ended,
    progress_percent,
    status_label,
    task_status,
)


def target(**kwargs):
    values = {"comparator": ">=", "value": D(96), "value_max": None, "year": 2015, "better": "higher"}
    values.update(kwargs)
    return Target(**values)


def points(*pairs):
    return [Point(datetime.date.fromisoformat(d), D(v)) for d, v in pairs]


BEFORE_DEADLINE = datetime.date(2015, 7, 1)
AFTER_DEADLINE = datetime.date(2016, 3, 1)


def test_no_measurements_is_no_data():
    assert evaluate(target(), [], BEFORE_DEADLINE) == Status.NO_DATA


@pytest.mark.parametrize(
    ("comparator", "goal", "value", "met"),
    [
        (">=", 96, 96, True),
        (">=", 96, "95.9", False),
        ("<=", 6, 6, True),
        ("<=", 6, "6.1", False),
        ("=", 6, "6.2", True),
    ],
)
def test_met_follows_the_comparator(comparator, goal, value, met):
    better = "lower" if comparator == "<=" else "higher"
    status = evaluate(
        target(comparator=comparator, value=D(goal), better=better), points(("2015-06-30", value)), BEFORE_DEADLINE
    )
    assert (status == Status.MET) is met


def test_range_comparator():
    rule = target(comparator="range", value=D(5), value_max=D(10))
    assert rule.is_met_by(D(7)) and not rule.is_met_by(D(11))


def test_unmet_after_deadline_is_behind():
    assert evaluate(target(), points(("2015-06-30", 95)), AFTER_DEADLINE) == Status.BEHIND


def test_on_track_when_ahead_of_the_straight_line():
    series = points(("2014-06-30", 80), ("2015-06-30", 92))
    assert evaluate(target(), series, BEFORE_DEADLINE) == Status.ON_TRACK


def test_behind_when_under_the_straight_line():
    series = points(("2014-06-30", 80), ("2015-06-30", 82))
    assert evaluate(target(), series, BEFORE_DEADLINE) == Status.BEHIND


def test_lower_is_better_uses_the_other_direction():
    rule = target(comparator="<=", value=D(6), better="lower")
    assert evaluate(rule, points(("2014-06-30", 9), ("2015-06-30", "6.5")), BEFORE_DEADLINE) == Status.ON_TRACK
    assert evaluate(rule, points(("2014-06-30", 9), ("2015-06-30", "8.9")), BEFORE_DEADLINE) == Status.BEHIND


def test_single_reading_before_deadline_is_on_track():
    assert evaluate(target(), points(("2015-06-30", 50)), BEFORE_DEADLINE) == Status.ON_TRACK


def test_progress_percent():
    assert progress_percent(target(), None) == 0
    assert progress_percent(target(), D(96)) == 100
    assert progress_percent(target(), D(48)) == 50
    assert progress_percent(target(comparator="<=", value=D(6), better="lower"), D(12)) == 50


# -- a task's status, and the verdict once the plan has ended -----------------------------------------------

MET, ON_TRACK, BEHIND, NO_DATA = Status.MET, Status.ON_TRACK, Status.BEHIND, Status.NO_DATA


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([MET, MET], MET),  # all met
        ([MET, BEHIND, ON_TRACK], BEHIND),  # some behind
        ([MET, ON_TRACK], ON_TRACK),
        ([NO_DATA, NO_DATA], NO_DATA),  # no data
        ([MET, NO_DATA], NO_DATA),  # a target without data: the whole task cannot be judged met
        ([BEHIND, NO_DATA], BEHIND),  # but one known to be behind is behind
        ([], NO_DATA),  # no numeric target and no assessment
    ],
)
def test_task_status_from_its_targets(statuses, expected):
    assert task_status(statuses) == expected


@pytest.mark.parametrize("statuses", [[MET, MET], [BEHIND], []])
def test_an_editors_assessment_overrides_the_targets(statuses):
    assert task_status(statuses, assessment=BEHIND) == BEHIND
    assert task_status(statuses, assessment=MET) == MET


def test_after_the_plan_period_on_track_gives_way_to_a_verdict():
    closing = datetime.date(2015, 12, 31)
    assert not plan_ended(closing, closing) and plan_ended(closing, datetime.date(2016, 1, 1))
    assert not plan_ended(None, datetime.date(2030, 1, 1))
    every = (MET, ON_TRACK, BEHIND, NO_DATA)
    assert [status_label(s, ended=True) for s in every] == ["已完成", "未完成", "未完成", "无数据"]
    assert [status_label(s) for s in every] == ["已达标", "按计划推进", "滞后", "暂无数据"]
    assert final_status(ON_TRACK) == BEHIND and final_status(MET) == MET
    # Every status shown has its one-sentence explanation, in both periods.
    for ended in (False, True):
        assert set(EXPLANATIONS[ended]) == set(LABELS[ended])
    assert ON_TRACK not in LABELS[True]
