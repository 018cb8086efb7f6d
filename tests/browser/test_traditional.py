"""An overseas reader on a phone: 繁體 in the header, the same page in traditional characters, kept by the page
cache, the embedded form sent from it stored as typed, and 简体 back to where they were."""

import os

import pytest

from portal.participation.models import Submission
from portal.plan.models import DomainPage
from tests.browser.test_cached_pages import kept

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# PORTAL_SCREENSHOTS=dir keeps what the test saw, to be looked at by a person.
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")


def shot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"))


def test_a_reader_switches_to_traditional_sends_a_letter_and_switches_back(site, browser, recaptcha_in_browser):
    context = recaptcha_in_browser(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-HK"))
    reader = context.new_page()
    reader.goto(site.url + "/health/")
    assert reader.locator("html").get_attribute("lang") == "zh-Hans"  # a Hong Kong browser still gets the URL's page
    reader.locator("a.script-switch", has_text="繁體").click()
    reader.wait_for_url("**/zh-hant/health/")
    shot(reader, "zh-hant-health")
    assert reader.locator("html").get_attribute("lang") == "zh-Hant"
    assert "衛生" in reader.locator("main h1").inner_text()
    kept(reader, site.url + "/zh-hant/health/")

    typed = "衛生院週末可否開門?医生太少"
    reader.click("#feedback summary")
    form = reader.locator("#feedback form")
    form.locator("input[name=kind][value=opinion]").check()
    form.locator("input[name=title]").fill("衛生院開放時間")
    form.locator("textarea[name=content]").fill(typed)
    form.locator(".g-recaptcha input[type=checkbox]").check()
    shot(reader, "zh-hant-health-form")
    form.locator("button[type=submit]").click()
    reader.wait_for_url("**/zh-hant/feedback/thanks/")
    shot(reader, "zh-hant-thanks")
    assert "受理編號" in reader.locator("main").inner_text()
    submission = Submission.objects.get(title="衛生院開放時間")
    assert submission.content == typed and submission.domain == DomainPage.objects.get(slug="health")

    reader.goto(site.url + "/zh-hant/health/")
    reader.locator("a.script-switch", has_text="简体").click()
    reader.wait_for_url(site.url + "/health/")
    assert "卫生" in reader.locator("main h1").inner_text()
    context.close()
