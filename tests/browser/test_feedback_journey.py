"""A citizen in a real browser: submit an opinion, track it, a moderator answers in the admin, and the
public answer appears. axe-core checks the form for serious or critical accessibility problems."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from django.contrib.auth import get_user_model

from portal.participation.models import Submission
from tests.browser.staff import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_submit_track_answer_and_read_in_public(site, browser, recaptcha_in_browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    citizen = recaptcha_in_browser(context).new_page()
    citizen.goto(site.url + "/feedback/?domain=education")
    assert serious_violations(citizen) == []

    # Submitting empty shows errors in plain Chinese, still accessible.
    citizen.click("form.feedback-form button[type=submit]")
    assert "请填写标题" in citizen.content()
    assert serious_violations(citizen) == []

    citizen.check("input[name=kind][value=opinion]")
    citizen.fill("input[name=title]", "希望增加普惠性幼儿园")
    citizen.fill(
        "textarea[name=content]", "新城区适龄儿童多,普惠性幼儿园学位不足,建议加快建设。<script>alert(1)</script>"
    )
    citizen.check("input[name=publish_allowed]")
    citizen.fill("input[name=contact_email]", "resident@example.com")
    citizen.check(".g-recaptcha input[type=checkbox]")
    citizen.click("form.feedback-form button[type=submit]")
    citizen.wait_for_url("**/feedback/thanks/")
    number = citizen.locator(".receipt .number").inner_text()
    code = citizen.locator(".receipt .code").inner_text()

    citizen.goto(site.url + "/feedback/track/")
    citizen.fill("input[name=number]", number)
    citizen.fill("input[name=code]", code)
    citizen.click("form.feedback-form button[type=submit]")
    assert "已收到" in citizen.locator(".track-result").inner_text()

    submission = Submission.objects.get(number=number)
    assert "<script>" not in submission.content
    get_user_model().objects.create_superuser("moderator", "m@example.gov.cn", "pass-1234")
    moderator = browser.new_context(locale="zh-CN").new_page()
    log_in(moderator, site.url, "moderator")
    moderator.goto(f"{site.url}/admin/submissions/edit/{submission.pk}/")
    moderator.select_option("select[name=status]", "answered")
    moderator.fill("textarea[name=answer]", "新城区公办幼儿园已列入2015年建设计划。")
    moderator.check("input[name=is_public]")
    moderator.click("main button.button-longrunning[type=submit]")
    moderator.wait_for_load_state("networkidle")
    submission.refresh_from_db()
    assert submission.status == "answered"

    citizen.goto(site.url + "/feedback/answers/")
    text = citizen.locator("main").inner_text()
    assert "已列入2015年建设计划" in text and "resident@example.com" not in text
    assert citizen.evaluate("window.__xss === undefined")
