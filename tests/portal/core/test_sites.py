"""Which site answers a request is Wagtail's own lookup: a changed site takes effect at once."""

import pytest

from wagtail.models import Site

pytestmark = pytest.mark.django_db


def test_a_changed_site_takes_effect_at_once(client):
    assert client.get("/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.is_default_site = False
    site.hostname = "elsewhere.example"
    site.save()
    assert client.get("/").status_code == 404
    site.is_default_site = True
    site.save()
    assert client.get("/").status_code == 200
