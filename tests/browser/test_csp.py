"""The Content-Security-Policy in Chromium: a resident's pages (the embedded form, a chart, the reCAPTCHA widget,
the receipt and its download) raise no violation, and the Wagtail admin works under its own policy."""

from pathlib import Path

import pytest

from django.contrib.auth import get_user_model

from portal.participation.models import Submission
from portal.plan.models import IndicatorPage, Measurement
from tests.browser.staff import log_in
from tests.browser.test_captcha_forms import fill_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script (Playwright injects it outside the page's policy) and hands every violation to
# Python, so none is lost when the page navigates away.
LISTEN = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolation([e.effectiveDirective, e.blockedURI, e.sourceFile + ":" + e.lineNumber].join(" "));
});
"""


def watched(context) -> list[str]:
    """Violations seen in this browser context: the DOM events and Chromium's console reports of them."""
    found = []
    context.expose_binding("cspViolation", lambda source, text: found.append(text))
    context.add_init_script(LISTEN)
    context.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append(f"console: {message.text}"),
    )
    return found


def test_a_residents_pages_raise_no_violation(site, browser, recaptcha_in_browser):
    context = recaptcha_in_browser(browser.new_context(locale="zh-CN", accept_downloads=True))
    violations = watched(context)
    page = context.new_page()

    response = page.goto(site.url + "/")
    assert "script-src 'self' https://" in response.headers["content-security-policy"]
    assert page.locator(".domain-tile").count() == 10

    page.goto(site.url + "/education/")
    assert page.locator(".indicator-card svg.progress rect").count() >= 5
    page.click("#feedback summary")
    assert page.locator("#feedback .g-recaptcha input[type=checkbox]").is_visible()  # the (fake) widget ran

    measured = IndicatorPage.objects.get(pk=Measurement.objects.filter(live=True).values("indicator_id")[:1])
    page.goto(site.url + measured.url)
    assert page.locator("figure.chart svg[role=img] circle").count() >= 1
    # The bar's length is an attribute, drawn without a style attribute.
    bar = page.locator("svg.progress rect").bounding_box()
    track = page.locator("svg.progress").bounding_box()
    assert abs(bar["width"] - track["width"] * measured.progress / 100) < 2

    page.goto(site.url + "/feedback/")
    number = fill_and_submit(page, "form.feedback-form", "村口公交站候车亭破损")
    assert Submission.objects.filter(number=number).exists()
    # The receipt is a data: link with `download`: a download, which no fetch directive governs.
    with page.expect_download() as download:
        page.click("a[download]")
    assert number in Path(download.value.path()).read_text(encoding="utf-8")

    page.goto(site.url + "/search/?q=低保")
    assert page.locator("main").inner_text()
    assert violations == [], "\n".join(sorted(set(violations)))
    context.close()


def sign_in_as_superuser(browser, base):
    """A superuser's admin session. Signing in is test_staff_journey's log_in, so a second factor (MFA) added
    there reaches this test too."""
    get_user_model().objects.create_superuser("csp-super", email="super@example.gov.cn", password="pass-1234")
    context = browser.new_context(locale="zh-CN")
    violations = watched(context)
    page = context.new_page()
    log_in(page, base, "csp-super")
    return page, violations


def test_the_admin_works_under_its_own_policy(site, browser):
    page, violations = sign_in_as_superuser(browser, site.url)
    response = page.goto(site.url + "/admin/")
    assert "'unsafe-inline'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.locator("#wagtail").count() == 1 and page.locator("[data-controller~=w-upgrade]").count() <= 1
    # The sidebar is drawn by the admin's scripts: it is there only if they ran.
    assert page.locator("[data-wagtail-sidebar] a, #wagtail-sidebar a").count() > 0

    indicator = IndicatorPage.objects.first()
    page.goto(f"{site.url}/admin/pages/{indicator.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=title]").input_value() == indicator.title
    assert violations == [], "\n".join(sorted(set(violations)))
    page.context.close()
