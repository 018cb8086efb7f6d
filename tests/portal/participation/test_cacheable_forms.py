"""Public participation pages carry no per-visitor CSRF token, so one cached copy serves every reader.

The views they post to check the request's origin instead; staff and account forms keep their tokens.
"""

import pytest

from portal.plan.models import DomainPage, TaskPage
from tests.factories.participation import open_consultation

pytestmark = pytest.mark.django_db


def pages():
    domain = DomainPage.objects.get(slug="education")
    return [
        "/feedback/",
        "/feedback/track/",
        "/feedback/satisfaction/",
        domain.url,
        TaskPage.objects.child_of(domain).live().first().url,
        open_consultation().url,
    ]


def test_public_forms_carry_no_csrf_token(client):
    for url in pages():
        html = client.get(url).content.decode()
        assert 'method="post"' in html and "csrfmiddlewaretoken" not in html, url


def test_the_sign_in_form_keeps_its_token(client):
    assert "csrfmiddlewaretoken" in client.get("/admin/login/").content.decode()
