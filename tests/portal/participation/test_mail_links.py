"""Mail links point at SITE_URL (the admin's at WAGTAILADMIN_BASE_URL, SITE_URL unless set apart)."""

import re

import pytest

from django.core import mail

from portal.participation.models import Submission
from portal.plan.models import DomainPage

pytestmark = pytest.mark.django_db


def test_every_link_in_the_mail_of_a_submission_is_on_site_url(client, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = "https://gxfw.example.gov.cn"
    data = {
        "kind": "opinion",
        "domain": str(DomainPage.objects.get(slug="education").pk),
        "title": "建议增加公办幼儿园学位",
        "content": "我所在的台城街道公办幼儿园学位紧张,建议在新区增设一所公办幼儿园。",
        "contact_email": "chen@example.com",
        "g-recaptcha-response": "token",
        "website": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/feedback/", data, HTTP_HOST="10.0.0.7")
    number = Submission.objects.get().number
    links = [link for message in mail.outbox for link in re.findall(r"https?://\S+", message.body)]
    assert f"https://gxfw.example.gov.cn/feedback/track/?number={number}" in links  # the receipt
    assert "https://gxfw.example.gov.cn/admin/" in links  # the staff notice
    assert all(link.startswith("https://gxfw.example.gov.cn/") for link in links), links
