"""Moderation in the Wagtail admin: the queue, the letter beside the answer, events, mail and audit log, reasons."""

import datetime
import re

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.models import ModelLogEntry

from portal.participation import services
from portal.participation.models import Submission
from portal.participation.pages import ConsultationIndexPage, ConsultationPage
from portal.plan.models import Department, DomainPage, TaskPage
from portal.plan.staff import EDITORS, OFFICE
from tests.factories.participation import SubmissionFactory

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


def letter_of(html: str) -> str:
    """The read-only letter on the edit and inspect screens."""
    start = html.index('<section class="participation-letter')
    return html[start : html.index("</section>", start)]


def test_the_edit_screen_shows_the_letter_above_the_answer(client, moderator):
    domain = DomainPage.objects.get(slug="education")
    task = TaskPage.objects.descendant_of(domain).first()
    consultation = ConsultationPage(
        title="新区公办幼儿园选址意见征集",
        slug="kindergarten-letter",
        domain=domain,
        summary="征集选址意见。",
        background="<p>新区适龄儿童增长较快。</p>",
        opens_at=timezone.now() - datetime.timedelta(days=1),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    ConsultationIndexPage.objects.get().add_child(instance=consultation)
    item = SubmissionFactory(
        title="幼儿园选址建议",
        content="建议建在新区中心。\n那里交通方便。",
        domain=domain,
        task=task,
        consultation=consultation,
        answers=[{"question": "您认为幼儿园应建在哪里?", "answer": "新区中心公园旁"}],
        publish_allowed=False,
        verification=Submission.Verification.FAILED,
        quarantined=True,
        quarantine_reason="人机验证未通过",
        contact_name="李女士",
        contact_phone="13800138000",
        contact_email="li@example.com",
    )
    html = client.get(reverse("submissions:edit", args=[item.pk])).content.decode()
    letter = letter_of(html)
    assert html.index("participation-letter") < html.index('id="w-editor-form"')
    for text in (
        item.number,
        "幼儿园选址建议",
        "建议建在新区中心。<br>那里交通方便。",
        "意见建议",
        domain.title,
        task.title,
        consultation.title,
        "您认为幼儿园应建在哪里?",
        "新区中心公园旁",
        f"{timezone.localtime(item.created_at):%Y-%m-%d %H:%M}",
        f"{item.due_date:%Y-%m-%d}",
        "未通过",  # the verification state
        "人机验证未通过",
        "李女士",
        "13800138000",
        "li@example.com",
    ):
        assert text in letter, text
    assert "<dt>同意公开</dt><dd>否</dd>" in letter and "<dt>待人工核验</dt><dd>是</dd>" in letter
    for english in ("None", "True", "False"):
        assert english not in letter


def test_nothing_on_the_screens_is_none(client, moderator):
    item = SubmissionFactory(contact_email="", answer="")
    for view in ("edit", "inspect"):
        html = client.get(reverse(f"submissions:{view}", args=[item.pk])).content.decode()
        assert "<dt>领域</dt><dd>—</dd>" in letter_of(html) and "<dt>电子邮箱</dt><dd>—</dd>" in letter_of(html)
        # What a moderator reads: the main column's text, without hidden elements, tags and attributes.
        main = html[html.index("<main") : html.index("</main>")]
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(\w+)[^>]*\shidden>.*?</\1>", "", main, flags=re.S))
        for english in ("None", "True", "False"):
            assert english not in text, (view, english)
    inspect = client.get(reverse("submissions:inspect", args=[item.pk])).content.decode()
    assert "<dt>承办单位</dt><dd>—</dd>" in inspect and "<dt>答复</dt><dd>—</dd>" in inspect


def test_contacts_only_for_roles_that_may_see_personal_data(client, submission):
    for group, allowed in ((EDITORS, False), (OFFICE, True)):
        user = get_user_model().objects.create_user(f"letter-{group}", password="x")
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
        html = client.get(reverse("submissions:edit", args=[submission.pk])).content.decode()
        assert "村道路灯长期不亮" in letter_of(html)
        for secret in ("李女士", "13800138000", "li@example.com"):
            assert (secret in html) is allowed, (group, secret)


def test_queue_leaves_out_letters_still_being_verified(client, moderator):
    pending = SubmissionFactory(verification=Submission.Verification.PENDING)
    checked = SubmissionFactory(verification=Submission.Verification.PASSED)

    def listed(**query):
        html = client.get(reverse("submissions:index"), query).content.decode()
        return {item.number for item in (pending, checked) if item.number in html}

    assert listed() == {checked.number}
    assert listed(verification="pending") == {pending.number}
    assert listed(verification="all") == {pending.number, checked.number}
    # "Select all" reaches what the queue showed: the pending letter is not accepted with the rest.
    bulk = reverse("wagtail_bulk_action", args=["participation", "submission", "accept"])
    assert client.post(f"{bulk}?id=all&next=/admin/submissions/").status_code == 302
    statuses = dict(Submission.objects.filter(pk__in=[pending.pk, checked.pk]).values_list("pk", "status"))
    assert statuses == {pending.pk: "received", checked.pk: "accepted"}


def test_queue_search_finds_part_of_a_chinese_word(client, moderator):
    item = SubmissionFactory(title="村道路灯长期不亮", content="夜间出行不安全。")
    other = SubmissionFactory(title="公交班次太少", content="希望增加班次。")
    for query in ("路灯", "出行"):
        html = client.get(reverse("submissions:index"), {"q": query}).content.decode()
        assert item.number in html and other.number not in html, query
