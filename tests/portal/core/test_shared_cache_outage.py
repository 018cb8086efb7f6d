"""Redis down: the site keeps serving pages and taking letters and follow requests, uncached and uncounted,
instead of answering 500 everywhere (Wagtail's site lookup, the page cache and the limits all use the cache).

The cache is the one production builds (settings.base.survives_outage over django-environ's CACHE_URL), pointed
at a port where nothing listens, so django-redis meets a real refused connection."""

import pytest

from portal.participation.models import Submission
from portal.plan.models import IndicatorPage
from portal.settings.base import env, survives_outage
from tests.portal.participation.test_feedback import valid

pytestmark = pytest.mark.django_db
UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {"default": survives_outage(env.cache_url_config(UNREACHABLE))}
    settings.PAGE_CACHE_SECONDS = 600


def test_production_builds_a_redis_cache_that_survives_an_outage():
    cache = survives_outage(env.cache_url_config(UNREACHABLE))
    assert cache["BACKEND"] == "django_redis.cache.RedisCache" and cache["OPTIONS"]["IGNORE_EXCEPTIONS"]


def test_pages_are_served_uncached(client, redis_down):
    indicator = IndicatorPage.objects.live().order_by("path").first()
    for url in ["/", "/education/", indicator.url, "/", "/zh-hant/education/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Page-Cache"] == "miss", url  # rendered each time, never a stale or missing page


def test_a_letter_and_a_follow_request_are_still_taken(client, redis_down, google, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/feedback/", valid(), follow=True)
    assert response.status_code == 200 and Submission.objects.count() == 1
    indicator = IndicatorPage.objects.live().order_by("path").first()
    response = client.post(
        "/follow/",
        {"email": "resident@example.com", "page": indicator.pk, "website": ""},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert response.status_code == 302
