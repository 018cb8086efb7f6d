"""Pages from the page cache in a real browser: the embedded form works from a kept domain page, with
JavaScript and without it, and a page staff publish in the admin shows to the next reader at once."""

import pytest

from django.contrib.auth import get_user_model

from portal.participation.models import Submission
from portal.plan.models import DomainPage
from tests.browser.staff import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def kept(page, url):
    """Open the page twice: the second answer comes from the page cache."""
    page.goto(url)
    response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    return response


def fill_embedded_form(page, title):
    page.click("#feedback summary")
    form = page.locator("#feedback form")
    form.locator("input[name=kind][value=opinion]").check()
    form.locator("input[name=title]").fill(title)
    form.locator("textarea[name=content]").fill("就业服务中心的公益性岗位信息更新不及时,建议每周公布一次。")
    return form


def test_the_embedded_form_on_a_kept_domain_page_posts_with_javascript(site, browser, recaptcha_in_browser):
    context = recaptcha_in_browser(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN"))
    reader = context.new_page()
    kept(reader, site.url + "/employment/")
    form = fill_embedded_form(reader, "公益性岗位信息请及时更新")
    form.locator(".g-recaptcha input[type=checkbox]").check()
    form.locator("button[type=submit]").click()
    reader.wait_for_url("**/feedback/thanks/")
    assert reader.locator(".receipt .number").inner_text()
    submission = Submission.objects.get(title="公益性岗位信息请及时更新")
    assert submission.domain == DomainPage.objects.get(slug="employment")


def test_the_embedded_form_on_a_kept_domain_page_posts_without_javascript(site, browser, settings):
    # reCAPTCHA's widget is a script: a site without JavaScript can only be offered a form without it.
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    reader = context.new_page()
    kept(reader, site.url + "/employment/")
    form = fill_embedded_form(reader, "无脚本也能提交意见")
    form.locator("button[type=submit]").click()
    reader.wait_for_url("**/feedback/thanks/")
    assert Submission.objects.filter(title="无脚本也能提交意见").exists()
    # The fold also links to the full form, which is never kept.
    assert reader.goto(site.url + "/feedback/?domain=employment").headers["x-page-cache"] == "skip"


def test_a_page_published_in_the_admin_shows_to_the_next_reader(site, browser):
    get_user_model().objects.create_superuser("publisher", "p@example.gov.cn", "pass-1234")
    domain = DomainPage.objects.get(slug="employment")
    reader = browser.new_context().new_page()
    kept(reader, site.url + "/employment/")
    kept(reader, site.url + "/")

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(staff, site.url, "publisher")
    staff.goto(f"{site.url}/admin/pages/{domain.pk}/edit/")
    staff.fill("input[name=title]", "就业创业服务(已更新)")
    staff.evaluate("document.querySelector('button[name=action-publish]').click()")
    staff.wait_for_url(f"{site.url}/admin/pages/{domain.get_parent().pk}/")

    response = reader.goto(site.url + "/employment/")
    assert response.headers["x-page-cache"] == "miss"
    assert "就业创业服务(已更新)" in reader.locator("h1").inner_text()
    reader.goto(site.url + "/")
    assert "就业创业服务(已更新)" in reader.locator("main").inner_text()
