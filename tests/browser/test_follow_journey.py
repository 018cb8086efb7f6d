"""A resident follows an indicator in Chromium (no script needed), confirms from the mail, gets the digest after a
measurement is approved, and leaves with the digest's one-click unsubscribe; the next digest is empty."""

import datetime
import re
from decimal import Decimal

import pytest

from django.core import mail
from django.utils import timezone

from portal.follow.digest import send_digests
from portal.follow.models import Subscription
from portal.plan.models import IndicatorPage, Measurement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(url: str, site) -> str:
    return site.url + "/" + url.split("/", 3)[3]


def test_follow_confirm_digest_unsubscribe(site, browser, tmp_path):
    indicator = IndicatorPage.objects.live().order_by("path").first()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", java_script_enabled=False)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.goto(site.url + indicator.url)
    box = page.locator(".follow-box")
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "follow-box.png"), full_page=False)
    assert "Atom" in box.inner_text()

    box.locator("input[name=email]").fill("not an address")
    box.locator("button[type=submit]").click()
    assert "电子邮箱格式不正确" in page.content()
    assert page.locator("input[name=email]").input_value() == "not an address"
    # No axe here: it needs script, which this reader has off; test_readable.py runs it on indicator pages.

    page.locator("input[name=email]").fill("resident@example.com")
    page.locator(".follow-box button[type=submit]").click()
    page.wait_for_url("**/follow/sent/")
    assert "确认邮件" in page.content()
    [confirmation] = mail.outbox
    confirm_url = re.search(r"https?://\S+/follow/confirm/\S+", confirmation.body).group(0)
    page.goto(local(confirm_url, site))
    page.get_by_role("button", name="确认关注").click()
    assert "已确认关注" in page.content()

    measurement = Measurement(
        indicator=indicator, date=datetime.date(2015, 12, 31), value=Decimal("93.5"), source="统计局", live=False
    )
    measurement.save()
    measurement.save_revision().publish()
    mail.outbox.clear()
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=1))["sent"] == 1
    [digest] = mail.outbox
    assert "93.5" in digest.body
    one_click = digest.extra_headers["List-Unsubscribe"].strip("<>")
    # What a mail client does for RFC 8058: a POST from outside the site, no cookies, no origin of ours.
    response = context.request.post(local(one_click, site), form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200 and not Subscription.objects.exists()

    mail.outbox.clear()
    assert send_digests(now=timezone.now() + datetime.timedelta(seconds=2))["sent"] == 0 and mail.outbox == []
    context.close()
