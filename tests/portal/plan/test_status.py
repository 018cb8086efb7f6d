"""The status rules: met, on track, behind, no data."""

import datetime
from decimal import Decimal as D

import pytest

from portal.plan.status import Point, Status, Target, evaluate, progress_percent


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
