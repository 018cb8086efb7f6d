"""Bad addresses, floods and foreign origins: clear Chinese errors, the typed address kept, never a 500."""

import pytest

from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def post(client, page, email, **extra):
    headers = {**SAME_SITE, **extra}
    return client.post(reverse("follow:follow"), {"email": email, "page": page.pk}, **headers)


def test_a_bad_address_is_explained_and_kept(client, indicator):
    response = post(client, indicator, "not-an-address")
    html = response.content.decode()
    assert response.status_code == 400 and "电子邮箱格式不正确" in html and 'value="not-an-address"' in html
    assert mail.outbox == []


def test_an_empty_address(client, indicator):
    assert "请填写电子邮箱" in post(client, indicator, "").content.decode()


def test_per_address_limit(client, indicator, settings):
    settings.FOLLOW_MAX_PER_ADDRESS = 2
    for _ in range(2):
        assert post(client, indicator, "victim@example.com").status_code == 302
    response = post(client, indicator, "victim@example.com")
    assert response.status_code == 429 and "已收到多封确认邮件" in response.content.decode()
    assert 'value="victim@example.com"' in response.content.decode()
    assert len(mail.outbox) == 2


def test_per_ip_limit(client, indicator, settings):
    settings.FOLLOW_MAX_PER_IP = 3
    for n in range(3):
        assert post(client, indicator, f"a{n}@example.com").status_code == 302
    response = post(client, indicator, "a9@example.com")
    assert response.status_code == 429 and "同一网络" in response.content.decode()


def test_flood_bound_is_the_participation_one(client, indicator, settings):
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 1
    post(client, indicator, "x@example.com")
    response = post(client, indicator, "y@example.com")
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()


def test_cross_site_post_is_refused(client, indicator):
    response = post(client, indicator, "x@example.com", HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 403 and "本站页面" in response.content.decode() and mail.outbox == []


def test_honeypot(client, indicator):
    response = client.post(
        reverse("follow:follow"), {"email": "x@example.com", "page": indicator.pk, "website": "spam"}, **SAME_SITE
    )
    assert response.status_code == 400 and mail.outbox == []


def test_unknown_target_is_404_not_500(client):
    response = client.post(reverse("follow:follow"), {"email": "x@example.com", "page": "abc"}, **SAME_SITE)
    assert response.status_code == 404
    response = client.post(reverse("follow:follow"), {"email": "x@example.com", "letter": "forged"}, **SAME_SITE)
    assert response.status_code == 404


def test_following_twice_sends_no_new_mail_once_confirmed(client, indicator):
    from tests.factories.follow import SubscriptionFactory

    SubscriptionFactory(page=indicator, email="known@example.com")
    assert post(client, indicator, "known@example.com").status_code == 302
    assert mail.outbox == []
