"""Follow → confirmation mail → confirm → an approved measurement → the digest → withdrawn ones are not mailed →
one-click unsubscribe → the next digest is empty."""

import re

import pytest

from django.core import mail
from django.urls import reverse

from portal.follow.digest import send_digests
from portal.follow.models import Subscription

pytestmark = pytest.mark.django_db
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}


def links_in(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def follow(client, page, email="resident@example.com", **extra):
    return client.post(reverse("follow:follow"), {"email": email, "page": page.pk, "website": ""}, **SAME_SITE, **extra)


def test_the_whole_journey(client, indicator, approve, later):
    response = follow(client, indicator)
    assert response.status_code == 302 and response.url == reverse("follow:sent")
    sent_page = client.get(response.url)
    assert "确认邮件" in sent_page.content.decode() and "resident@example.com" not in sent_page.content.decode()
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["resident@example.com"] and indicator.title in confirmation.subject
    assert send_digests(now=later())["sent"] == 0  # nothing before the click
    [confirm_url] = [url for url in links_in(confirmation) if "/follow/confirm/" in url]
    assert client.get(path_of(confirm_url)).status_code == 200  # a button, not yet confirmed
    assert Subscription.objects.get().confirmed_at is None
    assert "已确认关注" in client.post(path_of(confirm_url)).content.decode()

    approve("88.5")
    withdrawn = approve("77.25")
    withdrawn.unpublish()
    mail.outbox.clear()
    assert send_digests(now=later())["sent"] == 1
    [digest] = mail.outbox
    assert "88.5" in digest.body and "77.25" not in digest.body
    assert indicator.title in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = digest.extra_headers["List-Unsubscribe"].strip("<>")
    assert one_click.startswith("http://testserver") or one_click.startswith("http")
    assert any("/follow/manage/" in url for url in links_in(digest))

    # A mail client's one-click POST comes from nowhere near the site: the signature is the protection.
    response = client.post(path_of(one_click), {"List-Unsubscribe": "One-Click"}, HTTP_SEC_FETCH_SITE="cross-site")
    assert response.status_code == 200 and not Subscription.objects.exists()
    approve("89")
    mail.outbox.clear()
    assert send_digests(now=later())["sent"] == 0 and mail.outbox == []


def test_a_rerun_the_same_day_sends_nothing(indicator, approve, later):
    from django.utils import timezone

    from tests.factories.follow import SubscriptionFactory

    SubscriptionFactory(page=indicator)
    approve()
    assert send_digests(now=timezone.now())["sent"] == 1
    approve("91")
    result = send_digests(now=later())
    assert result["sent"] == 0 and result["skipped"] == 1 and len(mail.outbox) == 1


def test_traditional_page_gives_traditional_mail(client, indicator):
    client.post("/zh-hant" + reverse("follow:follow"), {"email": "a@example.com", "page": indicator.pk}, **SAME_SITE)
    [message] = mail.outbox
    assert "確認" in message.subject and "/zh-hant/follow/confirm/" in message.body
    assert Subscription.objects.get().language == "zh-hant"


def test_unconfirmed_expire_and_get_nothing(indicator, approve, later):
    import datetime

    from django.utils import timezone

    from tests.factories.follow import SubscriptionFactory

    old = SubscriptionFactory(page=indicator, confirmed_at=None, created_at=timezone.now() - datetime.timedelta(days=8))
    fresh = SubscriptionFactory(page=indicator, confirmed_at=None)
    approve()
    result = send_digests(now=later())
    assert result["sent"] == 0 and result["expired"] == 1
    assert not Subscription.objects.filter(pk=old.pk).exists() and Subscription.objects.filter(pk=fresh.pk).exists()


def test_an_old_confirmation_link_no_longer_works(client, indicator):
    import datetime

    from django.core import signing

    from portal.follow import tokens

    follow(client, indicator)
    subscription = Subscription.objects.get()
    token = tokens.confirm_token(subscription)
    real = signing.TimestampSigner.timestamp
    try:
        signing.TimestampSigner.timestamp = lambda self: signing.b62_encode(
            int(__import__("time").time() - datetime.timedelta(days=8).total_seconds())
        )
        old_token = tokens.confirm_token(subscription)
    finally:
        signing.TimestampSigner.timestamp = real
    assert client.post(reverse("follow:confirm", args=[old_token])).status_code == 404
    assert client.post(reverse("follow:confirm", args=[token])).status_code == 200


def test_manage_page_lists_and_removes(client, indicator):
    from portal.follow import tokens
    from tests.factories.follow import SubscriptionFactory

    mine = SubscriptionFactory(page=indicator, email="me@example.com")
    SubscriptionFactory(page=indicator, email="other@example.com")
    url = reverse("follow:manage", args=[tokens.manage_token(mine.address)])
    page = client.get(url).content.decode()
    assert indicator.title in page and "other@example.com" not in page
    client.post(url, {"remove": mine.pk}, **SAME_SITE)
    assert list(Subscription.objects.values_list("email", flat=True)) == ["other@example.com"]
    assert client.get(reverse("follow:manage", args=["forged"])).status_code == 404
