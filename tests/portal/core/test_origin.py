"""Citizens' forms refuse posts from other sites by their origin headers, and keep what was typed."""

import pytest

from django.test import Client

from portal.core.origin import is_same_origin
from portal.participation.models import Submission
from portal.plan.models import DomainPage
from tests.portal.participation.test_feedback import valid

pytestmark = pytest.mark.django_db

OWN = "http://testserver"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site's page too
        {"Origin": "https://evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a data: page
        {"Referer": "https://evil.example/form.html"},
    ],
)
def test_a_letter_posted_from_another_site_is_refused_and_nothing_is_lost(headers):
    before = Submission.objects.count()
    response = Client().post("/feedback/", valid(), headers=headers, REMOTE_ADDR="192.0.2.61")
    html = response.content.decode()
    assert response.status_code == 403
    assert "无法确认这份表单是从本站页面提交的" in html
    assert "建议增加公办幼儿园学位" in html and "台城街道公办幼儿园学位紧张" in html
    assert Submission.objects.count() == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": OWN},
        {"Sec-Fetch-Site": "none"},  # typed or bookmarked
        {"Origin": OWN},
        {"Referer": f"{OWN}/education/"},
        {},  # no browser at all: the honeypot, limits and captcha deal with scripts
    ],
)
def test_a_letter_posted_from_this_site_goes_through(headers):
    response = Client().post("/feedback/", valid(), headers=headers, REMOTE_ADDR="192.0.2.62")
    assert response.status_code == 302 and response["Location"] == "/feedback/thanks/"


def test_the_public_address_and_trusted_origins_count_as_this_site(rf, settings):
    settings.SITE_URL = "https://gxfw.example.gov.cn"
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.gxfw.example.gov.cn"]
    for origin in ("https://gxfw.example.gov.cn", "https://www.gxfw.example.gov.cn", "http://testserver"):
        assert is_same_origin(rf.post("/feedback/", headers={"Origin": origin}))
    assert not is_same_origin(rf.post("/feedback/", headers={"Origin": "http://gxfw.example.gov.cn.evil.example"}))


def test_satisfaction_and_tracking_refuse_other_sites_too():
    domain = DomainPage.objects.live().first()
    response = Client().post(
        "/feedback/satisfaction/",
        {"domain": domain.pk, "score": "5", "g-recaptcha-response": "token"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403 and "无法确认这份表单是从本站页面提交的" in response.content.decode()
    response = Client().post("/feedback/track/", {"number": "X", "code": "Y"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert "无法确认这份表单是从本站页面提交的" in response.content.decode()
