"""Progress updates record measurements when published and withdraw them when unpublished."""

import datetime
import json

import pytest

from portal.plan.models import IndicatorPage, IndicatorReading, Measurement
from portal.updates.models import UpdateIndexPage, UpdatePage

pytestmark = pytest.mark.django_db


def body(indicator, value="97.5", date="2015-10-31"):
    return json.dumps(
        [
            {"type": "paragraph", "value": "<p>全市学前教育资源持续扩大。</p>"},
            {
                "type": "measurement",
                "value": {"indicator": indicator.pk, "date": date, "value": value, "source": "市教育局", "note": ""},
            },
        ]
    )


def test_publishing_an_update_records_its_measurements_and_unpublishing_withdraws_them(client):
    indicator = IndicatorPage.objects.get(code="edu-01")
    page = UpdatePage(title="学前教育进展", slug="preschool", summary="入园率再提高。", body=body(indicator))
    UpdateIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()

    recorded = Measurement.objects.get(update=page)
    assert recorded.live and recorded.value == 97.5 and recorded.date == datetime.date(2015, 10, 31)
    html = client.get(page.url).content.decode()
    assert "入园率再提高" in html and "97.5%" in html
    assert "97.5%" in client.get(indicator.url).content.decode()

    page.save_revision().publish()  # republishing does not duplicate
    assert Measurement.objects.filter(update=page).count() == 1
    published = Measurement.objects.filter(indicator=indicator, live=True).count()
    assert IndicatorReading.objects.get(indicator=indicator).count == published  # the update's one included

    page.unpublish()
    assert not Measurement.objects.filter(update=page).exists()
    assert IndicatorReading.objects.get(indicator=indicator).count == published - 1


def test_measurement_block_validates_like_a_measurement():
    from wagtail.blocks import StructBlockValidationError

    from portal.updates.blocks import MeasurementBlock

    block = MeasurementBlock()
    indicator = IndicatorPage.objects.get(code="edu-01")
    value = block.to_python({"indicator": indicator.pk, "date": "2019-01-01", "value": "150", "source": "x"})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert set(error.value.block_errors) == {"date", "value"}
