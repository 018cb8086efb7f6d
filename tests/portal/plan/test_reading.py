"""Each indicator's stored reading follows every write of its measurements, and the status computed
from it is the one the series gives, for any day, without a write when a deadline passes."""

import datetime
import importlib
import io
from decimal import Decimal as D

import pytest

from django.apps import apps
from django.core.management import call_command
from django.db import connection

from portal.plan.models import IndicatorPage, IndicatorReading, Measurement, refresh_readings, refreshed_once
from portal.plan.models.reading import READING_FIELDS, refresh_all_readings
from portal.plan.status import Status
from tests.factories import DomainPageFactory, IndicatorPageFactory, MeasurementFactory, TaskPageFactory

pytestmark = pytest.mark.django_db

BEFORE_DEADLINE = datetime.date(2015, 7, 1)
AFTER_DEADLINE = datetime.date(2016, 3, 1)


def with_reading(indicator):
    """The indicator as counts see it: its stored reading attached, no series."""
    return IndicatorPage.objects.with_readings().get(pk=indicator.pk)


def with_series(indicator):
    """The indicator as its own page sees it: the published series."""
    return IndicatorPage.objects.with_live_measurements().get(pk=indicator.pk)


def seen(indicator):
    """What a resident is shown: the latest reading, the sample flag and the status on both sides of the deadline."""
    latest = indicator.latest
    return (
        (latest.date, latest.value, latest.is_sample) if latest else None,
        indicator.has_sample_data,
        indicator.status(BEFORE_DEADLINE),
        indicator.status(AFTER_DEADLINE),
        indicator.progress,
    )


def assert_reading_matches_series(indicator):
    from_reading, from_series = with_reading(indicator), with_series(indicator)
    assert from_reading.loaded_reading is not None and from_series.loaded_reading is None
    assert seen(from_reading) == seen(from_series)
    return from_reading


@pytest.fixture
def indicator(home):
    task = TaskPageFactory(parent=DomainPageFactory(parent=home))
    return IndicatorPageFactory(parent=task, target=D(90), target_year=2015)


def draft(indicator, date, value, **fields):
    """A measurement as staff enter it: saved unpublished, with a revision to publish."""
    measurement = Measurement(indicator=indicator, date=date, value=D(value), source="统计局", live=False, **fields)
    measurement.save()
    measurement.save_revision()
    return measurement


def test_every_indicator_of_the_plan_reads_as_its_series():
    indicators = list(IndicatorPage.objects.all())
    assert sum(1 for i in indicators if with_series(i).series) >= 20  # the sample data measures many
    for indicator in indicators:
        assert_reading_matches_series(indicator)


def test_the_reading_follows_publishing_withdrawing_and_deleting(indicator):
    assert with_reading(indicator).latest is None and with_reading(indicator).current_status == Status.NO_DATA

    march = draft(indicator, "2015-03-31", 70)
    assert with_reading(indicator).latest is None  # a draft is not on the public record
    march.latest_revision.publish()
    page = assert_reading_matches_series(indicator)
    assert page.latest.value == 70 and page.reading.count == 1

    june = draft(indicator, "2015-06-30", 85, is_sample=True)
    june.latest_revision.publish()
    page = assert_reading_matches_series(indicator)
    assert (page.latest.date, page.latest.value, page.has_sample_data) == (datetime.date(2015, 6, 30), 85, True)
    assert (page.reading.first_value, page.reading.count) == (70, 2)

    june.refresh_from_db()  # published through its revision, i.e. another instance
    june.unpublish()  # withdrawn
    page = assert_reading_matches_series(indicator)
    assert page.latest.value == 70 and not page.has_sample_data

    june.refresh_from_db()
    june.latest_revision.publish()  # published again
    assert assert_reading_matches_series(indicator).latest.value == 85

    june.delete()
    assert assert_reading_matches_series(indicator).latest.value == 70
    march.delete()
    page = assert_reading_matches_series(indicator)
    assert page.latest is None and page.current_status == Status.NO_DATA


def test_a_draft_of_a_published_measurement_changes_the_reading_once_published(indicator):
    measurement = draft(indicator, "2015-06-30", 80)
    measurement.latest_revision.publish()
    measurement.refresh_from_db()
    measurement.value = D(95)
    revision = measurement.save_revision()  # staff editing what is live: a draft revision only
    assert with_reading(indicator).latest.value == 80
    revision.publish()
    assert assert_reading_matches_series(indicator).latest.value == 95


def test_a_measurement_moved_to_another_indicator_leaves_the_first(indicator):
    other = IndicatorPageFactory(parent=indicator.get_parent())
    measurement = MeasurementFactory(indicator=indicator)
    measurement.indicator = other
    measurement.save()
    assert assert_reading_matches_series(indicator).latest is None
    assert assert_reading_matches_series(other).latest.value == measurement.value


def test_ties_on_a_date_are_broken_as_the_series_breaks_them(indicator):
    for value in (60, 95, 70):  # same date: the last one written is the latest
        MeasurementFactory(indicator=indicator, date=datetime.date(2015, 6, 30), value=D(value))
    MeasurementFactory(indicator=indicator, date=datetime.date(2014, 6, 30), value=D(50), live=False)
    assert assert_reading_matches_series(indicator).latest.value == 70


def test_status_flips_at_the_deadline_without_a_write(indicator, django_assert_num_queries):
    from freezegun import freeze_time

    MeasurementFactory(indicator=indicator, date=datetime.date(2014, 12, 31), value=D(60))
    MeasurementFactory(indicator=indicator, date=datetime.date(2015, 6, 30), value=D(80))  # ahead of the line
    loaded = with_reading(indicator)
    with django_assert_num_queries(0):
        assert loaded.status(datetime.date(2015, 12, 31)) == Status.ON_TRACK
        assert loaded.status(datetime.date(2016, 1, 1)) == Status.BEHIND
    for today, expected in ((BEFORE_DEADLINE, Status.ON_TRACK), (AFTER_DEADLINE, Status.BEHIND)):
        with freeze_time(today):
            assert with_reading(indicator).current_status == expected
            assert with_series(indicator).current_status == expected


def test_home_counts_change_at_the_deadline_without_a_write(client, indicator, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view itself, not the page cache in front of it
    settings.FRAGMENT_CACHE_SECONDS = 0  # nor a kept overview (test_fragments: kept ones turn at a deadline too)
    from freezegun import freeze_time

    MeasurementFactory(indicator=indicator, date=datetime.date(2015, 6, 30), value=D(80))
    domain = indicator.get_parent().get_parent()

    def counts(today):
        with freeze_time(today):
            response = client.get("/")
        return next(d.counts for d in response.context["overview"]["domains"] if d.pk == domain.pk)

    assert counts(BEFORE_DEADLINE)[Status.ON_TRACK] == 1 and counts(BEFORE_DEADLINE)[Status.BEHIND] == 0
    assert counts(AFTER_DEADLINE)[Status.ON_TRACK] == 0 and counts(AFTER_DEADLINE)[Status.BEHIND] == 1


def test_a_batch_refreshes_each_indicator_once_at_its_end(indicator, django_assert_num_queries):
    with refreshed_once():
        MeasurementFactory.create_batch(5, indicator=indicator)
        assert with_reading(indicator).latest is None  # not yet
    assert assert_reading_matches_series(indicator).reading.count == 5
    # A refresh: the lock, the counts and the two ends' keys, the two ends, the write; as many for more indicators.
    with django_assert_num_queries(4):
        refresh_readings([indicator.pk])
    every = list(IndicatorPage.objects.values_list("pk", flat=True))
    with django_assert_num_queries(4):
        refresh_readings(every)


def test_deleting_an_indicator_or_its_task_leaves_no_reading_behind(indicator):
    MeasurementFactory.create_batch(3, indicator=indicator)
    task = indicator.get_parent()
    sibling = IndicatorPageFactory(parent=task)
    MeasurementFactory(indicator=sibling)
    indicator.delete()
    assert not IndicatorReading.objects.filter(indicator_id=indicator.pk).exists()
    task.delete()
    assert not IndicatorReading.objects.filter(indicator_id=sibling.pk).exists()
    connection.check_constraints()  # no reading points at a deleted page (the keys are checked at commit)


def test_refresh_readings_command_corrects_what_bypassed_the_signals(indicator):
    out = io.StringIO()
    call_command("refresh_readings", stdout=out)
    assert "更正 0 项" in out.getvalue()
    MeasurementFactory(indicator=indicator, value=D(80))
    Measurement.objects.filter(indicator=indicator).update(value=D(91))  # no signal
    call_command("refresh_readings", stdout=out)
    assert "更正 1 项" in out.getvalue()
    assert assert_reading_matches_series(indicator).current_status == Status.MET


def test_the_migration_fills_the_readings_of_existing_data():
    def readings():
        return set(IndicatorReading.objects.values_list("indicator_id", *READING_FIELDS))

    IndicatorReading.objects.all().delete()
    migration = importlib.import_module("portal.plan.migrations.0003_indicatorreading")
    migration.fill_readings(apps, None)
    filled = readings()
    assert len(filled) == IndicatorPage.objects.count()  # the unmeasured ones too
    assert sum(1 for row in filled if row[1]) >= 20
    refresh_all_readings()
    assert readings() == filled
