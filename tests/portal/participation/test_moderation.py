"""Moderation in the Wagtail admin: the queue, answers with events, mail and audit log, reasons."""

import datetime

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from wagtail.models import ModelLogEntry

from portal.participation import services
from portal.participation.models import Submission
from portal.plan.models import Department
from portal.plan.staff import OFFICE

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_superuser("mod", "mod@example.gov.cn", "x")
    client.force_login(user)
    return user


@pytest.fixture
def submission():
    item, _ = services.submission_create(
        data={
            "kind": "report",
            "title": "村道路灯长期不亮",
            "content": "海宴镇某村村道路灯已经两个月不亮,夜间出行不安全。",
            "publish_allowed": True,
            "contact_name": "李女士",
            "contact_phone": "13800138000",
            "contact_email": "li@example.com",
        },
        ip="198.51.100.7",
    )
    return item


def edit(client, item, **data):
    return client.post(reverse("submissions:edit", args=[item.pk]), data)


def test_queue_masks_personal_data_and_filters(client, moderator, submission):
    html = client.get(reverse("submissions:index")).content.decode()
    assert submission.number in html and "村道路灯长期不亮" in html
    assert "李女士" not in html and "13800138000" not in html and "李*" in html
    overdue = client.get(reverse("submissions:index"), {"overdue": "true"}).content.decode()
    assert submission.number not in overdue
    Submission.objects.filter(pk=submission.pk).update(due_date=datetime.date(2015, 1, 1))
    overdue = client.get(reverse("submissions:index"), {"overdue": "true"}).content.decode()
    assert submission.number in overdue


def test_answer_records_event_mails_citizen_and_logs(client, moderator, submission, django_capture_on_commit_callbacks):
    department = Department.objects.get(key="towns")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = edit(
            client,
            submission,
            status="answered",
            department=department.pk,
            answer="已安排维修,三日内修复。",
            is_public="on",
        )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "answered" and submission.answered_at and submission.answered_by == moderator
    assert [e.status for e in submission.events.all()] == ["received", "answered"]
    assert mail.outbox and mail.outbox[0].to == ["li@example.com"]
    assert ModelLogEntry.objects.filter(action="participation.answer", object_id=str(submission.pk)).exists()
    html = client.get("/feedback/answers/").content.decode()
    assert "已安排维修" in html and department.name in html


def test_rejection_needs_a_reason_the_citizen_sees(client, moderator, submission):
    response = edit(client, submission, status="rejected", rejection_reason="")
    assert response.status_code == 200
    assert "必须填写理由" in response.content.decode()
    edit(client, submission, status="rejected", rejection_reason="不属于本平台受理范围,请向市城管局反映。")
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert submission.events.last().note.startswith("不属于本平台受理范围")


def test_office_staff_reach_the_queue(client, submission):
    from portal.plan.staff import setup_staff

    setup_staff()
    user = get_user_model().objects.create_user("office-x", password="x")
    user.groups.add(Group.objects.get(name=OFFICE))
    client.force_login(user)
    assert client.get(reverse("submissions:index")).status_code == 200


def test_statistics_by_domain_and_department(client, moderator, submission):
    department = Department.objects.get(key="towns")
    edit(client, submission, status="answered", department=department.pk, answer="已处理。", is_public="on")
    html = client.get("/feedback/statistics/").content.decode()
    assert "<svg" in html and "<table" in html
    assert department.name in html and "未指定" in html  # the report named no domain
    for secret in ("李女士", "13800138000", "li@example.com"):
        assert secret not in html


def test_export_leaves_out_personal_data_unless_the_role_allows(client, submission):
    import csv
    import io

    from portal.plan.staff import EDITORS, setup_staff

    setup_staff()

    def export_as(group):
        user = get_user_model().objects.create_user(f"u-{group}", password="x")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        response = client.get(reverse("submissions:index"), {"export": "csv"})
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    editor_rows = export_as(EDITORS)
    assert editor_rows[0]["受理编号"] == submission.number
    assert "13800138000" not in str(editor_rows) and "li@example.com" not in str(editor_rows)
    office_rows = export_as(OFFICE)
    assert "13800138000" in str(office_rows) and "li@example.com" in str(office_rows)


def test_reply_template_fills_an_empty_answer(client, moderator, submission):
    from portal.participation.models import ReplyTemplate

    template = ReplyTemplate.objects.create(title="已转办", body="您反映的问题已转交承办单位办理,我们将跟踪办理结果。")
    response = edit(client, submission, status="answered", reply_template=template.pk, answer="")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.answer == template.body and submission.status == "answered"
