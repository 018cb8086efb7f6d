"""Charts are accessible SVG whose geometry follows the data."""

from decimal import Decimal

import pytest

from portal.core.charts import label_span, line_chart, nice_ticks, sparkline, thin_labels, width_pct
from portal.core.numbers import format_number
from portal.plan.models import IndicatorPage
from tests.factories import IndicatorPageFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


def test_chart_describes_its_numbers(home):
    indicator = IndicatorPageFactory(parent=home, unit="%", target=90)
    MeasurementFactory(indicator=indicator, date="2014-12-31", value=70)
    MeasurementFactory(indicator=indicator, date="2015-12-31", value=85)
    chart = line_chart(IndicatorPage.objects.get(pk=indicator.pk))
    assert "2014-12-31" in chart.description and "85%" in chart.description and "≥ 90%" in chart.description
    assert len(chart.points) == 2
    first, last = chart.points
    assert first.x < last.x and first.y > last.y  # later and higher: to the right and up
    assert chart.target_y < last.y  # the target is above the latest value


def test_empty_chart_says_so(home):
    chart = sparkline(IndicatorPageFactory(parent=home))
    assert chart.empty and "暂无监测数据" in chart.description


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("93.22", "96.58", ["93", "94", "95", "96", "97"]),
        ("0", "100", ["0", "50", "100"]),
        ("99.8", "100", ["99.8", "99.85", "99.9", "99.95", "100"]),
        ("1.85", "2.24", ["1.8", "2", "2.2", "2.4"]),
        ("4.9", "6", ["4.5", "5", "5.5", "6"]),
        ("8", "8", ["7", "7.5", "8", "8.5", "9"]),  # a flat series gets room around it
        ("0", "0", ["0", "0.5", "1"]),
    ],
)
def test_ticks_are_round_steps(low, high, expected):
    ticks = nice_ticks(Decimal(low), Decimal(high))
    assert [format_number(t) for t in ticks] == expected
    assert ticks[0] <= Decimal(low) and ticks[-1] >= Decimal(high)


@pytest.mark.parametrize("span", ["0.07", "0.3", "2.8", "17", "430", "9100"])
def test_tick_steps_are_one_two_or_five_times_a_power_of_ten(span):
    ticks = nice_ticks(Decimal(3), Decimal(3) + Decimal(span))
    step = ticks[1] - ticks[0]
    assert step.normalize().as_tuple().digits[0] in (1, 2, 5) and len(step.normalize().as_tuple().digits) == 1
    assert 2 <= len(ticks) <= 5


def test_thinning_keeps_the_ends_and_drops_what_collides():
    # Four labels 10 wide at 0, 5, 30, 95 (centred): the second collides with the first.
    spans = [(0, 10), (0, 10), (25, 35), (85, 95)]
    assert thin_labels(spans) == [0, 2, 3]
    # A middle label that would touch the last is dropped, not the last.
    assert thin_labels([(0, 10), (78, 88), (85, 95)]) == [0, 2]
    # Only two, and they collide: the latest reading is the one labelled.
    assert thin_labels([(0, 10), (5, 15)]) == [1]
    assert thin_labels([(0, 10)]) == [0] and thin_labels([]) == []
    # The gap counts: 10 to 11 is clear without a gap, not with a gap of 2.
    assert thin_labels([(0, 10), (11, 20), (40, 50)]) == [0, 1, 2]
    assert thin_labels([(0, 10), (11, 20), (40, 50)], gap=2) == [0, 2]


def test_close_dates_are_thinned_on_narrow_displays(home):
    indicator = IndicatorPageFactory(parent=home, unit="%", target=90)
    for day in ("2014-06-30", "2014-07-31", "2014-08-31", "2015-06-30", "2015-12-31"):
        MeasurementFactory(indicator=indicator, date=day, value=80)
    chart = line_chart(IndicatorPage.objects.get(pk=indicator.pk))
    labels = {p.short_label: p.hidden_on for p in chart.points}
    assert labels["2014-06"] == [] and labels["2015-12"] == []  # the ends are always labelled
    assert "pl" in labels["2014-07"]  # a month after the first: no room on a phone in 大字号
    for display in ("pn", "pl", "wn", "wl"):
        shown = [p for p in chart.points if display not in p.hidden_on]
        spans = [label_span(p.x, p.anchor, width_pct(p.short_label, display)) for p in shown]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), display


def test_ticks_carry_the_unit_and_the_target_label_clears_the_line(home):
    indicator = IndicatorPageFactory(parent=home, unit="%", target=95)
    for day, value in (("2014-12-31", "93.5"), ("2015-06-30", "94.8"), ("2015-12-31", "96.3")):
        MeasurementFactory(indicator=indicator, date=day, value=value)
    chart = line_chart(IndicatorPage.objects.get(pk=indicator.pk))
    assert [t.label for t in chart.y_ticks] == ["93%", "94%", "95%", "96%", "97%"]
    assert chart.target_place is not None and "目标" in chart.target_label
    # The last point sits just above the target at the right: the label goes elsewhere than above-right.
    place = chart.target_place
    assert (place.anchor, place.dy) != ("end", "-.45em")
