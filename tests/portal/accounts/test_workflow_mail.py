"""Workflow mail reaches staff in Chinese, with links on WAGTAILADMIN_BASE_URL.

Wagtail writes each recipient's mail in the language of their admin profile from its own templates
(wagtailadmin/notifications/*); the sentences its zh_Hans catalog lacks are in locale_wagtail/.
"""

import re

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.plan.models import HomePage, IndicatorPage, Measurement
from portal.plan.staff import EDITORS, OFFICE

pytestmark = pytest.mark.django_db

BASE_URL = "https://gxfw.example.gov.cn"
LINK = re.compile(r"https?://\S+")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE_URL


def staff(username, group, name):
    # Names in Chinese, as staff have them: the mail greets the recipient and names the requester.
    user = get_user_model().objects.create_user(
        username, f"{username}@example.gov.cn", "x", first_name=name[1:], last_name=name[0]
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def english_in(message) -> list[str]:
    """Latin words outside the links: Chinese text, Chinese names and a page title leave none."""
    return re.findall(r"[A-Za-z]{2,}", LINK.sub("", f"{message.subject}\n{message.body}"))


def assert_chinese_with_links_on_base_url(message):
    assert not english_in(message), message.subject + "\n" + message.body
    links = LINK.findall(message.body)
    assert links, message.body
    assert all(link.startswith(BASE_URL + "/admin/") for link in links), links


def test_a_page_submitted_for_moderation_is_announced_to_the_office_in_chinese(client):
    office = staff("office-mail", OFFICE, "李主任")
    editor = staff("editor-mail", EDITORS, "陈编辑")
    home = HomePage.objects.get()
    client.force_login(editor)
    data = {"title": home.title, "slug": home.slug, "intro": home.intro, "comments": inline_formset([])}
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[home.pk]), nested_form_data(data) | {"action-submit": "submit"}
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert WorkflowState.objects.filter(base_content_type__model="page", object_id=str(home.pk)).exists()

    [message] = [m for m in mail.outbox if office.email in m.to]
    assert home.title in message.subject
    assert "审核" in message.body
    assert_chinese_with_links_on_base_url(message)
    assert f"{BASE_URL}{reverse('wagtailadmin_pages:edit', args=[home.pk])}" in message.body


def test_a_measurement_sent_back_tells_its_editor_in_chinese(client):
    office = staff("office-mail", OFFICE, "李主任")
    editor = staff("editor-mail", EDITORS, "陈编辑")
    indicator = IndicatorPage.objects.get(code="edu-01")
    client.force_login(editor)
    form = {"indicator": indicator.pk, "date": "2015-09-30", "value": "95.5", "source": "市教育局统计年报", "note": ""}
    client.post(reverse("wagtailsnippets_plan_measurement:add"), form | {"action-submit": "submit"})
    measurement = Measurement.objects.get(source="市教育局统计年报")
    [submitted] = [m for m in mail.outbox if office.email in m.to]
    assert_chinese_with_links_on_base_url(submitted)

    mail.outbox.clear()
    task_state = measurement.current_workflow_task_state
    task_state.task.on_action(task_state, office, "reject", comment="请注明统计口径")
    [rejected] = [m for m in mail.outbox if editor.email in m.to]
    assert "退回" in rejected.subject + rejected.body
    assert_chinese_with_links_on_base_url(rejected)
