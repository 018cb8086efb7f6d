"""The site lookup is kept per process, and forgotten as soon as a site changes."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Site

pytestmark = pytest.mark.django_db


def site_queries(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if 'FROM "wagtailcore_site"' in q["sql"]]


def test_the_site_is_looked_up_once_then_kept(client):
    assert site_queries(client)  # the first request looks the site up (and its root paths)
    assert site_queries(client) == []
    assert site_queries(client, "/education/") == []


def test_a_changed_site_takes_effect_at_once(client):
    site_queries(client)
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "elsewhere.example"
    site.save()
    assert client.get("/").status_code == 404
    site.is_default_site = True
    site.save()
    assert client.get("/").status_code == 200
