"""A follower's address is never on a public page, in search or in open data; it is erasable."""

import datetime

import pytest

from django.core.management import call_command
from django.urls import reverse

from portal.follow.models import DigestSent, Subscription, address_key
from tests.factories.follow import SubscriptionFactory

pytestmark = pytest.mark.django_db
ADDRESS = "secret.follower@example.com"


def test_the_address_is_nowhere_public(client, indicator, approve):
    SubscriptionFactory(page=indicator, email=ADDRESS)
    SubscriptionFactory(page=indicator.get_parent().get_parent(), email=ADDRESS)
    approve()
    paths = [
        "/",
        indicator.url,
        indicator.get_parent().get_parent().url,
        reverse("opendata:indicators_json"),
        reverse("opendata:indicators_csv"),
        reverse("opendata:measurements_csv"),
        reverse("opendata:feed_indicator", args=[indicator.pk]),
        reverse("search:search") + "?q=follower",  # a query is echoed: search a piece, look for the whole
        reverse("search:search") + "?q=follower&format=json",
        "/sitemap.xml",
    ]
    for path in paths:
        response = client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, path
        assert ADDRESS.encode() not in body, path


def test_pages_carry_the_control_and_no_csrf_token(client, indicator):
    html = client.get(indicator.url).content.decode()
    assert 'action="/follow/"' in html and "csrfmiddlewaretoken" not in html
    assert f'href="/feeds/indicators/{indicator.pk}/"' in html


def test_erase_personal_data_removes_an_address(capsys):
    from tests.factories.participation import SubmissionFactory

    letter = SubmissionFactory()
    SubscriptionFactory(submission=letter, email="letter.writer@example.com")
    from portal.plan.models import DomainPage

    SubscriptionFactory(page=DomainPage.objects.first(), email=ADDRESS)
    SubscriptionFactory(page=DomainPage.objects.first(), email="someone.else@example.com")
    DigestSent.objects.create(address=address_key(ADDRESS), day=datetime.date.today())
    call_command("erase_personal_data", "--email", ADDRESS.upper())
    assert not Subscription.objects.filter(email=ADDRESS).exists() and not DigestSent.objects.exists()
    assert ADDRESS not in capsys.readouterr().out
    call_command("erase_personal_data", letter.number)
    assert list(Subscription.objects.values_list("email", flat=True)) == ["someone.else@example.com"]


def test_erasure_finds_an_address_followed_before_the_secret_key_changed(settings):
    from portal.plan.models import DomainPage

    SubscriptionFactory(page=DomainPage.objects.first(), email=ADDRESS)  # keyed under the old SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-" + "x" * 32
    call_command("erase_personal_data", "--email", ADDRESS)
    assert not Subscription.objects.filter(email=ADDRESS).exists()


def test_the_privacy_notice_states_what_following_keeps():
    from portal.about.privacy import collected

    row = next(kept for kept in collected() if kept.what.startswith("关注"))
    assert "7" in row.how_long and "退订" in row.how_long
