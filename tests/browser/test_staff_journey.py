"""A new staff member in a real browser: an editor submits a measurement, the office approves it,
and the public indicator page and its chart change."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.plan.models import IndicatorPage, Measurement
from portal.plan.staff import EDITORS, OFFICE
from tests.browser.staff import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_user(username, group):
    user = get_user_model().objects.create_user(username, password="pass-1234")
    user.groups.add(Group.objects.get(name=group))
    return user


def test_submit_approve_and_see_the_public_page_change(site, browser, tmp_path):
    from django.core.management import call_command

    call_command("setup_staff", verbosity=0)
    staff_user("editor-b", EDITORS)
    staff_user("office-b", OFFICE)
    indicator = IndicatorPage.objects.get(code="health-01")
    base = site.url
    points_before = len(indicator.series)
    # A reader has the indicator, its domain and the home page in the page cache already.
    public = browser.new_context().new_page()
    shown_on = [indicator.url, indicator.get_parent().url, "/health/", "/"]
    for url in shown_on:
        public.goto(base + url)
        assert public.goto(base + url).headers["x-page-cache"] == "hit"

    editor = browser.new_context(locale="zh-CN").new_page()
    log_in(editor, base, "editor-b")
    assert editor.goto(base + indicator.url).headers["x-page-cache"] == "skip"  # staff never get a kept page
    editor.goto(f"{base}/admin/snippets/plan/measurement/add/")
    # The indicator field is a page chooser (a modal); set its hidden input as the chooser would.
    editor.evaluate(f"document.querySelector('input[name=indicator]').value = '{indicator.pk}'")
    editor.fill("input[name=date]", "2015-11-30")
    editor.fill("input[name=value]", "96.4")
    editor.fill("input[name=source]", "市卫生和计划生育局年报")
    editor.evaluate("document.querySelector('button[name=action-submit]').click()")
    editor.wait_for_load_state("networkidle")
    measurement = Measurement.objects.get(source="市卫生和计划生育局年报")
    assert not measurement.live

    office = browser.new_context(locale="zh-CN").new_page()
    log_in(office, base, "office-b")
    office.goto(f"{base}/admin/snippets/plan/measurement/edit/{measurement.pk}/")
    office.evaluate("document.querySelector('button[data-workflow-action-name=approve]').click()")
    office.wait_for_load_state("networkidle")
    office.wait_for_timeout(500)
    measurement.refresh_from_db()
    assert measurement.live

    # The next anonymous request sees the approved reading, everywhere it shows.
    for url in shown_on:
        assert public.goto(base + url).headers["x-page-cache"] == "miss", url
    public.goto(base + indicator.url)
    assert "96.4" in public.locator("table.data-table").inner_text()
    assert public.locator("figure.chart circle").count() == points_before + 1
    public.screenshot(path=str(tmp_path / "after.png"), full_page=True)


def test_editor_drafts_an_answer_and_the_office_publishes_it(site, browser, tmp_path):
    """Answers go the same two steps: the editor, with the letter in view, submits a draft; the office
    approves and publishes it; only then does /feedback/answers/ show it."""
    from django.core.management import call_command

    from portal.participation.models import Submission
    from tests.factories.participation import SubmissionFactory

    call_command("setup_staff", verbosity=0)
    staff_user("editor-a", EDITORS)
    staff_user("office-a", OFFICE)
    item = SubmissionFactory(
        title="村道路灯长期不亮", content="海宴镇某村村道路灯已经两个月不亮。", status=Submission.Status.ACCEPTED
    )
    base = site.url
    edit_url = f"{base}/admin/submissions/edit/{item.pk}/"
    answer = "已安排维修,三日内修复。"

    editor = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(editor, base, "editor-a")
    editor.goto(edit_url)
    letter = editor.locator("section.participation-letter")
    assert "海宴镇某村村道路灯已经两个月不亮" in letter.inner_text()
    assert editor.locator("input[name=is_public]").count() == 0  # publishing is not the editor's to decide
    offered = editor.locator("select[name=status] option").evaluate_all("options => options.map(o => o.value)")
    assert "answered" not in offered and "review" in offered
    editor.select_option("select[name=status]", "review")
    editor.fill("textarea[name=answer]", answer)
    editor.screenshot(path=str(tmp_path / "editor.png"), full_page=True)
    editor.get_by_role("button", name="保存").click()
    editor.wait_for_url(f"{base}/admin/submissions/")
    item.refresh_from_db()
    assert item.status == "review"

    public = browser.new_context().new_page()
    public.goto(f"{base}/feedback/answers/")
    assert answer not in public.locator("main").inner_text()

    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    log_in(office, base, "office-a")
    office.goto(edit_url)
    office.select_option("select[name=status]", "answered")
    office.check("input[name=is_public]")
    office.screenshot(path=str(tmp_path / "office.png"), full_page=True)
    office.get_by_role("button", name="保存").click()
    office.wait_for_url(f"{base}/admin/submissions/")
    item.refresh_from_db()
    assert item.status == "answered" and item.is_public

    public.goto(f"{base}/feedback/answers/")
    assert answer in public.locator("main").inner_text()
