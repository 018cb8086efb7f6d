"""The page cache: anonymous readers get kept pages, staff never do, and every change shows at once."""

import datetime
import gzip
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.test import Client

from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.models import Site

from portal.participation.models import Submission
from portal.plan.models import DomainPage, IndicatorPage, Measurement
from portal.plan.staff import EDITORS
from tests.factories.accounts import VerifiedClient
from tests.portal.plan.test_staff_workflow import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response


def test_an_anonymous_reader_is_served_from_the_cache_without_a_query(reader, django_assert_num_queries):
    for url in ("/", "/employment/", "/plan/departments/", "/open-data/indicators.json", "/feedback/answers/"):
        first = get(reader, url)
        assert first["X-Page-Cache"] == "miss"
        with django_assert_num_queries(0):
            again = get(reader, url)
        assert again["X-Page-Cache"] == "hit" and again.content == first.content
        assert "no-cache" in again["Cache-Control"]


def test_staff_are_never_served_a_kept_page_and_their_pages_are_private(reader, commits):
    get(reader, "/employment/")
    editor = VerifiedClient()
    editor.force_login(staff("editor1", EDITORS))
    response = get(editor, "/employment/")
    assert response["X-Page-Cache"] == "skip" and "private" in response["Cache-Control"]
    # And what staff saw is not kept for readers either.
    assert get(reader, "/employment/")["X-Page-Cache"] == "hit"


def test_forms_pages_posts_and_searches_are_not_kept(reader):
    for url in ("/feedback/", "/feedback/track/", "/feedback/satisfaction/", "/search/?q=教育"):
        get(reader, url)
        assert get(reader, url)["X-Page-Cache"] == "skip", url
    assert reader.post("/feedback/track/", {"number": "x", "code": "y"})["X-Page-Cache"] == "skip"


def test_a_published_change_shows_on_the_next_anonymous_request(reader, commits):
    domain = DomainPage.objects.get(slug="employment")
    for url in ("/", "/employment/", domain.get_children().live().first().url):
        get(reader, url)
    domain.title = "就业服务(已更新)"
    commits(lambda: domain.save_revision().publish())
    assert "就业服务(已更新)" in get(reader, "/employment/").content.decode()
    assert "就业服务(已更新)" in get(reader, "/").content.decode()  # the home page lists the domains
    # A task's page shows its domain in the breadcrumbs: purged as a page below the changed one? No: only
    # the page, its ancestors and the listings are; the task's breadcrumb follows within PAGE_CACHE_SECONDS.
    assert get(reader, "/plan/departments/")["X-Page-Cache"] == "miss"


def test_unpublishing_a_page_takes_it_down_at_once(reader, commits):
    domain = DomainPage.objects.get(slug="employment")
    get(reader, "/employment/")
    commits(domain.unpublish)
    assert reader.get("/employment/").status_code == 404
    assert "/employment/" not in get(reader, "/").content.decode()


def test_an_approved_measurement_shows_on_its_indicator_task_domain_home_and_open_data(reader, commits):
    indicator = IndicatorPage.objects.live().filter(unit="%").first()
    urls = [indicator.url, *(page.url for page in indicator.get_ancestors().filter(depth__gt=2))]
    urls += ["/", "/open-data/indicators.json"]
    before = {url: get(reader, url).content for url in urls}
    measurement = Measurement.objects.create(
        indicator=indicator, date=datetime.date(2015, 12, 31), value=Decimal("42.5"), source="缓存测试统计", live=False
    )
    commits(lambda: measurement.save_revision().publish())
    for url in urls:
        response = get(reader, url)
        assert response["X-Page-Cache"] == "miss" and response.content != before[url], url
    assert '"latest_value": 42.5' in get(reader, "/open-data/indicators.json").content.decode()
    # Withdrawn: gone again at once.
    measurement.refresh_from_db()  # published from its revision, as another object
    commits(measurement.unpublish)
    assert '"latest_value": 42.5' not in get(reader, "/open-data/indicators.json").content.decode()


def test_an_answer_published_shows_on_the_answers_list_and_statistics(reader, commits):
    from tests.factories.participation import SubmissionFactory

    get(reader, "/feedback/answers/")
    get(reader, "/feedback/statistics/")
    submission = SubmissionFactory(publish_allowed=True, is_public=False, status=Submission.Status.ANSWERED)
    submission.answer = "已按缓存测试答复。"
    submission.is_public = True
    commits(submission.save)
    assert "已按缓存测试答复" in get(reader, "/feedback/answers/").content.decode()
    assert get(reader, "/feedback/statistics/")["X-Page-Cache"] == "miss"


def test_large_text_is_its_own_variant_and_works_from_the_cache(reader):
    big = Client()
    big.cookies["text_size"] = "large"
    for _ in range(2):
        assert 'class="text-large"' in get(big, "/").content.decode()
        assert 'class="text-large"' not in get(reader, "/").content.decode()
    assert get(big, "/")["X-Page-Cache"] == "hit"


def test_public_pages_are_gzipped_and_staff_pages_are_not(reader):
    response = get(reader, "/employment/", accept_encoding="gzip, deflate, br")
    assert response["Content-Encoding"] == "gzip"
    assert "就业" in gzip.decompress(response.content).decode()
    # Kept compressed: a hit needs no work, and a reader who cannot unzip gets the plain page.
    assert get(reader, "/employment/", accept_encoding="gzip")["X-Page-Cache"] == "hit"
    assert not get(reader, "/employment/").has_header("Content-Encoding")
    editor = VerifiedClient()
    editor.force_login(staff("editor1", EDITORS))
    assert not get(editor, "/employment/", accept_encoding="gzip").has_header("Content-Encoding")


def test_a_response_that_sets_a_cookie_is_never_kept(reader):
    # The satisfaction page gives each browser its voter cookie.
    assert reader.get("/feedback/satisfaction/").cookies
    assert reader.get("/feedback/satisfaction/")["X-Page-Cache"] == "skip"


def test_a_changed_site_takes_effect_at_once(reader, commits):
    get(reader, "/")
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "elsewhere.example"
    commits(site.save)
    assert reader.get("/").status_code == 404
    site.is_default_site = True
    commits(site.save)
    assert get(reader, "/").status_code == 200


def test_moving_a_page_purges_its_old_and_new_places(reader, commits):
    from wagtail.models import Page

    task = Page.objects.get(slug="task-1", url_path__contains="/employment/")
    indicator = IndicatorPage.objects.live().child_of(task).first()
    old_url, old_parent = indicator.url, indicator.get_parent()
    new_parent = old_parent.get_next_sibling()
    get(reader, old_url)
    get(reader, old_parent.url)
    get(reader, new_parent.url)
    commits(lambda: indicator.move(new_parent, pos="last-child"))
    # Wagtail redirects the old address to the new one; the kept page at the old address is gone.
    moved = reader.get(old_url)
    assert moved.status_code == 301 and moved["Location"] == IndicatorPage.objects.get(pk=indicator.pk).url
    assert indicator.title not in get(reader, old_parent.url).content.decode()
    assert indicator.title in get(reader, new_parent.url).content.decode()


class RecordingBackend(BaseBackend):
    """Stands in for a CDN's purge API (an outside service): remembers what it was asked to purge."""

    purged: list[str] = []

    def purge(self, url):
        self.purged.append(url)


def test_a_cdn_in_front_is_sent_the_same_purges(reader, commits, settings):
    settings.WAGTAILFRONTENDCACHE = {"cdn": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.purged = []
    domain = DomainPage.objects.get(slug="employment")
    commits(lambda: domain.save_revision().publish())
    paths = {urlsplit(url).path for url in RecordingBackend.purged}
    assert {"/employment/", "/", "/open-data/indicators.json", "/plan/departments/"} <= paths


def test_the_cache_can_be_turned_off(reader, settings):
    settings.PAGE_CACHE_SECONDS = 0
    get(reader, "/")
    assert get(reader, "/")["X-Page-Cache"] == "skip"


def test_the_session_cookie_name_is_what_decides(reader):
    reader.cookies[settings.SESSION_COOKIE_NAME] = "not-a-session"
    assert get(reader, "/")["X-Page-Cache"] == "skip"


def test_a_kept_page_carries_the_same_security_headers_as_when_it_was_made(reader):
    """The page cache stands outside the header middlewares: a hit is the kept response with their headers."""
    made = get(reader, "/employment/")
    kept = get(reader, "/employment/")
    assert kept["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert kept[header] == made[header], header


def test_static_files_keep_their_own_headers_and_never_touch_the_cache(reader):
    editor = VerifiedClient()
    editor.force_login(staff("editor1", EDITORS))
    for client in (reader, editor):
        response = client.get("/static/css/site.css")
        assert "X-Page-Cache" not in response and "private" not in response.get("Cache-Control", "")


def test_care_mode_is_its_own_variant_and_works_from_the_cache(reader):
    care = Client()
    care.cookies["care_mode"] = "on"
    for _ in range(2):
        assert 'class="text-large care-mode"' in get(care, "/employment/").content.decode()
        assert 'class="text-large care-mode"' not in get(reader, "/employment/").content.decode()
    assert get(care, "/employment/")["X-Page-Cache"] == "hit"


def test_deleting_a_page_purges_the_pages_above_it_once_per_page_deleted(reader, commits, monkeypatch):
    from portal.core import purging

    domain = DomainPage.objects.get(slug="employment")
    task = domain.get_children().live().first().specific
    get(reader, domain.url)
    batched, page_batch = [], purging.page_batch
    monkeypatch.setattr(purging, "page_batch", lambda page: (batched.append(page.pk), page_batch(page))[1])
    deleted = set(task.get_descendants(inclusive=True).values_list("pk", flat=True))
    commits(task.delete)
    # Once per page: Wagtail unpublishes each live page it deletes, and that purge is the only one.
    assert sorted(batched) == sorted(deleted)
    assert task.title not in get(reader, domain.url).content.decode()
