"""我为政府网站找错 in a real browser: from a page's footer to the receipt, with the page's address filled in."""

import re

import pytest

from portal.participation.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_reports_a_fault_from_the_footer_and_gets_a_receipt(site, browser, recaptcha_in_browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    reader = recaptcha_in_browser(context).new_page()
    reader.goto(site.url + "/health/")
    reader.click("footer >> text=我为政府网站找错")
    reader.wait_for_url(re.compile(r"/feedback/site-error/\?url=%2Fhealth%2F$|/feedback/site-error/\?url=/health/$"))
    assert reader.input_value("input[name=page_url]").endswith("/health/")

    # Sent empty: the reason in Chinese, and the address is still there.
    reader.fill("textarea[name=content]", "")
    reader.click("form.feedback-form button[type=submit]")
    assert "请描述发现的问题" in reader.content()
    assert reader.input_value("input[name=page_url]").endswith("/health/")

    reader.fill("textarea[name=content]", "“主要任务”第一项的链接打不开。")
    reader.check(".g-recaptcha input[type=checkbox]")
    reader.click("form.feedback-form button[type=submit]")
    reader.wait_for_url("**/feedback/thanks/")
    number = reader.locator(".receipt .number").inner_text()
    assert reader.locator(".receipt .code").inner_text()
    reader.screenshot(path=str(tmp_path / "receipt.png"), full_page=True)
    report = Submission.objects.get(number=number)
    assert report.kind == Submission.Kind.SITE_ERROR and report.page_url.endswith("/health/")
    context.close()
