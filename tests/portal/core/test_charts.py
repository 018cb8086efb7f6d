"""Charts are accessible SVG whose geometry follows the data."""

import pytest

from portal.core.charts import line_chart, sparkline
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
