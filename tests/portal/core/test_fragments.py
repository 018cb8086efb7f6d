"""Fragments of pages kept between renders (indicator cards, the feedback fold): used while nothing changes, made
again after any change, and kept apart by day and by language.

The page cache is off here, so every request renders its page and only the fragments can be kept."""

import datetime
import re
from decimal import Decimal

import pytest
from freezegun import freeze_time

from portal.core import fragments
from portal.core.script import to_traditional
from portal.plan.models import DomainPage, IndicatorPage, IndicatorReading, Measurement, TaskPage
from portal.settings.base import env, survives_outage
from tests.factories import IndicatorPageFactory
from tests.portal.core.test_pagecache import get

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pages_rendered_each_time(settings):
    settings.PAGE_CACHE_SECONDS = 0


def card(html: str, indicator, title=None) -> str:
    title = title or indicator.title
    match = re.search(rf'<article class="indicator-card[^"]*"><h4><a href="[^"]*">{title}</a>.*?</article>', html, re.S)
    assert match, title
    return match.group(0)


def percent_indicator():
    employment = DomainPage.objects.get(slug="employment")
    return IndicatorPage.objects.live().descendant_of(employment).filter(unit="%").first()


def test_a_card_is_kept_while_nothing_changes_and_made_again_after_a_change(client, commits):
    indicator = percent_indicator()
    first = card(get(client, "/employment/").content.decode(), indicator)
    # A write that no purge follows (no signal): the kept card is still what readers get, which shows it is kept.
    IndicatorReading.objects.filter(indicator=indicator).update(latest_value=Decimal("12.3"), count=99)
    assert card(get(client, "/employment/").content.decode(), indicator) == first
    measurement = Measurement.objects.create(
        indicator=indicator, date=datetime.date(2015, 12, 31), value=Decimal("42.5"), source="片段测试", live=False
    )
    commits(lambda: measurement.save_revision().publish())
    again = card(get(client, "/employment/").content.decode(), indicator)
    assert again != first and "42.5%" in again
    # The task's page shows the same card, made after the change too.
    assert "42.5%" in card(get(client, indicator.get_parent().url).content.decode(), indicator)


def test_the_fold_is_made_again_when_a_task_is_renamed(client, commits):
    task = TaskPage.objects.child_of(DomainPage.objects.get(slug="employment")).live().order_by("path").first()
    assert task.title in get(client, "/employment/").content.decode().split('id="feedback"')[1]
    task.title = "改名后的任务"
    commits(lambda: task.save_revision().publish())
    fold = get(client, "/employment/").content.decode().split('id="feedback"')[1]
    assert "改名后的任务" in fold


def test_each_language_has_its_own_cards(client):
    indicator = percent_indicator()
    url = indicator.url  # in simplified, before a request under /zh-hant/ leaves that language active
    get(client, "/employment/")
    html = get(client, "/zh-hant/employment/").content.decode()
    traditional = card(html, indicator, to_traditional(indicator.title))
    assert f'href="/zh-hant{url}"' in traditional
    assert f'href="{url}"' in card(get(client, "/employment/").content.decode(), indicator)


def test_a_kept_card_turns_at_its_deadline(client):
    """A target of 2014 is on track on its last day and behind the day after: no change was made, the day was."""
    task = TaskPage.objects.child_of(DomainPage.objects.get(slug="employment")).live().order_by("path").first()
    target = IndicatorPageFactory(parent=task, title="期限测试指标", target=Decimal("90"), target_year=2014)
    measurement = Measurement(indicator=target, date=datetime.date(2014, 6, 30), value=Decimal("60"), source="统计局")
    measurement.save()
    measurement.save_revision().publish()
    target = IndicatorPage.objects.get(pk=target.pk)
    assert target.status(datetime.date(2014, 12, 31)) == "on_track"
    assert target.status(datetime.date(2015, 1, 1)) == "behind"
    with freeze_time("2014-12-31 12:00"):
        assert "按计划推进" in card(get(client, task.url).content.decode(), target)
    with freeze_time("2015-01-01 12:00"):
        assert "滞后" in card(get(client, task.url).content.decode(), target)


def test_an_unreachable_shared_cache_keeps_no_fragment(settings):
    """Without the shared cache no purge can be heard: each render gets a stamp of its own, so nothing kept is used."""
    settings.CACHES = {"default": survives_outage(env.cache_url_config("redis://127.0.0.1:1/0"))}
    first = fragments.content_stamp()
    assert fragments.content_stamp() != first
