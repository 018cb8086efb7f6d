"""A moderator in a real browser: ticks submissions in the queue, accepts them in bulk, and rejects
another with a reason; the footer, the confirmation page and the messages are Wagtail's own."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.participation.models import Submission
from portal.plan.staff import OFFICE
from tests.browser.staff import log_in
from tests.factories.participation import SubmissionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tick_accept_and_reject_in_bulk(site, browser, tmp_path):
    from django.core.management import call_command

    call_command("setup_staff", verbosity=0)
    user = get_user_model().objects.create_user("office-bulk", password="pass-1234")
    user.groups.add(Group.objects.get(name=OFFICE))
    first, second = SubmissionFactory(title="村道路灯不亮"), SubmissionFactory(title="公交班次太少")
    answered = SubmissionFactory(title="已答复的来信", status=Submission.Status.ANSWERED)
    base = site.url

    page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, "office-bulk")

    page.goto(f"{base}/admin/submissions/")
    for item in (first, second, answered):
        page.check(f"input[data-object-id='{item.pk}']")
    footer = page.locator("[data-bulk-action-footer]")
    footer.wait_for(state="visible")
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=True)
    footer.get_by_role("link", name="受理所选来信").click()

    page.wait_for_url("**/admin/bulk/participation/submission/accept/**")
    text = page.locator("main").inner_text()
    assert "将受理以下 2 件来信" in text and "将被跳过" in text and "已答复的来信" in text
    page.screenshot(path=str(tmp_path / "confirm.png"), full_page=True)
    page.get_by_role("button", name="确认受理").click()

    page.wait_for_url(f"{base}/admin/submissions/**")
    messages = page.locator(".messages").inner_text()
    assert "已受理 2 件来信" in messages and "1 件来信不是“已收到”状态" in messages
    assert {s.status for s in Submission.objects.filter(pk__in=[first.pk, second.pk])} == {"accepted"}

    late = SubmissionFactory(title="不属于本平台的来信")
    page.goto(f"{base}/admin/submissions/")
    page.check(f"input[data-object-id='{late.pk}']")
    page.locator("[data-bulk-action-footer]").get_by_role("link", name="对所选来信不予受理").click()
    page.wait_for_url("**/admin/bulk/participation/submission/reject/**")
    # The browser itself asks for the reason first; the server's refusal is in test_bulk_actions.py.
    assert page.locator("textarea[name=rejection_reason]").get_attribute("required") is not None
    page.fill("textarea[name=rejection_reason]", "请向市城管局反映。")
    page.screenshot(path=str(tmp_path / "reject.png"), full_page=True)
    page.get_by_role("button", name="确认不予受理").click()
    page.wait_for_url(f"{base}/admin/submissions/**")
    late.refresh_from_db()
    assert late.status == "rejected" and late.rejection_reason == "请向市城管局反映。"
