"""Staff publishing: validated measurement entry and the two-step workflow, through the admin."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from wagtail.models import Workflow, WorkflowState
from wagtail.users.models import UserProfile

from portal.plan.models import IndicatorPage, Measurement
from portal.plan.staff import EDITORS, OFFICE, setup_staff

pytestmark = pytest.mark.django_db


def staff(username, group):
    user = get_user_model().objects.create_user(username, password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


def url(name, *args):
    return reverse(f"wagtailsnippets_plan_measurement:{name}", args=args)


@pytest.fixture
def indicator():
    return IndicatorPage.objects.get(code="edu-01")


def form(indicator, **overrides):
    data = {"indicator": indicator.pk, "date": "2015-09-30", "value": "95.5", "source": "市教育局统计年报", "note": ""}
    data.update(overrides)
    return data


def test_setup_staff_is_idempotent():
    setup_staff()
    setup_staff()
    assert Group.objects.filter(name__in=[EDITORS, OFFICE]).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date": "2020-01-01"}, "date", "方案实施期内"),
        ({"value": "120"}, "value", "不能大于 100"),
        ({"value": "-1"}, "value", "不能小于"),
        ({"value": "九十"}, "value", ""),
        ({"source": ""}, "source", ""),
    ],
)
def test_invalid_measurements_get_field_errors_and_save_nothing(client, indicator, overrides, field, message):
    client.force_login(staff("editor1", EDITORS))
    before = Measurement.objects.count()
    response = client.post(url("add"), form(indicator, **overrides, **{"action-submit": "submit"}))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert Measurement.objects.count() == before


def test_editor_submits_office_approves_and_the_public_page_changes(client, indicator):
    page_before = client.get(indicator.url).content.decode()
    assert "95.5%" not in page_before

    client.force_login(staff("editor1", EDITORS))
    response = client.post(url("add"), form(indicator, **{"action-submit": "submit"}))
    assert response.status_code == 302
    measurement = Measurement.objects.get(source="市教育局统计年报")
    assert not measurement.live
    state = WorkflowState.objects.get(base_content_type__model="measurement", object_id=str(measurement.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert "95.5%" not in client.get(indicator.url).content.decode()

    # An editor cannot approve their own submission.
    task_state = state.current_task_state
    response = client.post(url("workflow_action", measurement.pk, "approve", task_state.pk))
    measurement.refresh_from_db()
    assert not measurement.live

    client.force_login(staff("office1", OFFICE))
    response = client.post(url("workflow_action", measurement.pk, "approve", task_state.pk))
    assert response.status_code in (200, 302)
    measurement.refresh_from_db()
    assert measurement.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED

    html = client.get(indicator.url).content.decode()
    assert "95.5%" in html and "2015-09-30" in html
    csv = b"".join(client.get("/open-data/measurements.csv", {"indicator": "edu-01"}).streaming_content).decode()
    assert "2015-09-30,95.5,市教育局统计年报" in csv


def test_admin_is_in_chinese(client):
    client.force_login(staff("office2", OFFICE))
    response = client.get(url("list"))
    assert response.status_code == 200
    assert "监测数据" in response.content.decode()


def test_office_schedules_a_measurement_and_it_goes_live_on_time(client, indicator):
    import datetime

    from freezegun import freeze_time

    from django.core.management import call_command
    from django.utils import timezone

    client.force_login(staff("office3", OFFICE))
    go_live = timezone.localtime() + datetime.timedelta(hours=1)
    data = form(indicator, source="定时发布测试", go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    response = client.post(url("add"), {**data, "action-publish": "publish"})
    assert response.status_code == 302
    measurement = Measurement.objects.get(source="定时发布测试")
    assert not measurement.live
    call_command("publish_scheduled", verbosity=0)
    measurement.refresh_from_db()
    assert not measurement.live  # not yet

    with freeze_time(go_live + datetime.timedelta(minutes=5)):
        call_command("publish_scheduled", verbosity=0)
    measurement.refresh_from_db()
    assert measurement.live


def test_setup_staff_leaves_no_one_in_a_language_the_admin_no_longer_offers():
    """A profile set to English before the admin offered only Chinese would keep its mail in English."""
    chose_english = UserProfile.get_for_user(staff("editor-en", EDITORS))
    chose_english.preferred_language = "en"
    chose_english.save()
    setup_staff()
    chose_english.refresh_from_db()
    assert chose_english.get_preferred_language() == "zh-hans"
    assert not Workflow.objects.filter(name="Moderators approval").exists()
