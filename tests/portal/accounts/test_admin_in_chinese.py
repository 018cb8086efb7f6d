"""Staff read the admin in Chinese: the pages each role uses, walked as that role, show no English words.

The visible text is what a browser draws: the page parsed, scripts, styles, templates and hidden elements
dropped, attributes ignored, but an icon's <title> kept (a screen reader and the tooltip both read it).
"""

import json
import re

import pytest
from bs4 import BeautifulSoup

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.plan.models import HomePage, IndicatorPage, Measurement
from portal.plan.staff import EDITORS, OFFICE
from portal.updates.models import UpdateIndexPage
from tests.factories.participation import SubmissionFactory

pytestmark = pytest.mark.django_db

# English that reached staff before (issue 12: "184 Pages", "New:", "Go to the first error", True, None) and the
# words of Wagtail's own buttons, columns and statuses that a missing translation would show. Matched as whole
# words and case-sensitively, so a department's key (drc, hrss) or an address in a letter does not count.
ENGLISH = [
    "Pages", "Page", "New", "Edit", "Delete", "Save", "Publish", "Unpublish", "Search", "Go to the first error",
    "True", "False", "None", "Status", "Live", "Draft", "Add", "Cancel", "Submit", "Approve", "Reject",
    "Comments", "Actions", "Title", "Filter", "Sort", "Preview", "History", "Locked", "Workflow", "Anyone",
    "Referenced", "Saved", "Exploring", "Readability", "Checks", "Words", "Date updated", "Edited by",
    "Page type", "Moderators approval", "There are no", "Snippets", "Reports", "Settings", "Dashboard",
    "Help", "Yes", "No", "Any", "Shortcuts", "created in", "is required",
]  # fmt: skip
ENGLISH_RE = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![A-Za-z])")


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "template"]) + soup(hidden=True):
        tag.decompose()
    return soup.get_text(" ", strip=True)


def staff(role: str):
    users = get_user_model().objects
    if role == "superuser":
        return users.create_superuser("admin-zh", "admin-zh@example.gov.cn", "x")
    user = users.create_user(f"{role}-zh", f"{role}-zh@example.gov.cn", "x")
    user.groups.add(Group.objects.get(name={"editor": EDITORS, "office": OFFICE}[role]))
    return user


def staff_pages() -> list[str]:
    """Dashboard, explorer, page edit and create, the letters' queue and a letter, our snippets and listings
    (with their create forms), reports and the workflow's tasks."""
    home = HomePage.objects.get()
    indicator = IndicatorPage.objects.get(code="edu-01")
    letter = SubmissionFactory()
    measurement = Measurement.objects.filter(indicator=indicator).first()
    return [
        "/admin/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{indicator.get_parent().pk}/",
        f"/admin/pages/{home.pk}/edit/",
        f"/admin/pages/{indicator.pk}/edit/",
        f"/admin/pages/{indicator.pk}/history/",
        f"/admin/pages/add/updates/updatepage/{UpdateIndexPage.objects.get().pk}/",
        "/admin/pages/search/?q=教育",
        "/admin/submissions/",
        f"/admin/submissions/edit/{letter.pk}/",
        f"/admin/submissions/inspect/{letter.pk}/",
        "/admin/snippets/plan/measurement/",
        f"/admin/snippets/plan/measurement/edit/{measurement.pk}/",
        "/admin/snippets/plan/measurement/add/",
        "/admin/snippets/plan/department/",
        "/admin/snippets/plan/phase/",
        "/admin/snippets/plan/sourcedocument/",
        "/admin/snippets/plan/plan/",
        "/admin/snippets/search/synonym/",
        "/admin/snippets/search/recommendedterm/",
        "/admin/reply_templates/",
        "/admin/reply_templates/new/",
        "/admin/evaluation_reports/",
        "/admin/search/zero-results/",
        "/admin/follow/reach/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
    ]


@pytest.mark.parametrize("role", ["editor", "office", "superuser"])
def test_every_admin_page_a_role_uses_is_in_chinese(client, role):
    client.force_login(staff(role))
    english = {}
    for url in staff_pages():
        # A page a role may not open sends it back to the dashboard with a message: that is walked too.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = visible_text(response.content.decode())
        assert re.search("[\u4e00-\u9fff]", text), f"{url} drew no Chinese at all"
        found = sorted({match.group() for match in ENGLISH_RE.finditer(text)})
        if found:
            english[url] = found
    assert not english, "\n".join(f"{url}: {', '.join(words)}" for url, words in english.items())


def test_a_page_that_cannot_be_saved_says_so_in_chinese(client):
    """Error states the walk's GETs never reach: a save with a field missing, and autosave's answer to it."""
    client.force_login(staff("editor"))
    home = HomePage.objects.get()
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    data = nested_form_data({"title": "", "slug": home.slug, "intro": "", "comments": inline_formset([])})
    text = visible_text(client.post(url, data).content.decode())
    assert "页面有填写错误,未能保存。" in text
    assert not ENGLISH_RE.search(text), ENGLISH_RE.findall(text)
    autosave = client.post(url, data, HTTP_ACCEPT="application/json").json()
    assert not re.search("[A-Za-z]{2,}", autosave["error_message"]), autosave


def test_the_admins_scripts_get_their_words_in_chinese_too(client):
    """Wagtail's jsi18n catalog (autosave, the block editor, the sidebar's "(New)"): the strings its zh_Hans lacks
    come from locale_wagtail/zh_Hans/LC_MESSAGES/djangojs.po."""
    client.force_login(staff("editor"))
    catalog = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    for english, chinese in [("Changes have been autosaved.", "修改已自动保存。"), ("(New)", "(新)")]:
        assert f"{json.dumps(english)}: {json.dumps(chinese)}" in catalog
