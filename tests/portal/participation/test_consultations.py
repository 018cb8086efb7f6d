"""Consultations: open for opinions with questions, closed afterwards, outcome told to participants."""

import datetime

import pytest

from django.core import mail
from django.utils import timezone

from portal.participation.models import Submission
from portal.participation.pages import ConsultationPage
from tests.factories.participation import open_consultation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("google")]


@pytest.fixture
def consultation():
    return open_consultation()


def opinion(consultation, **extra):
    return {
        "consultation": consultation.pk,
        "kind": "opinion",
        "domain": consultation.domain_id,
        "title": "建议选址在新区中心",
        "content": "建议在新区中心公园旁建设,交通方便,也靠近居民区。",
        "answer_1": "新区中心公园旁",
        "answer_2": "<script>x</script>停车和接送通道",
        "contact_email": "parent@example.com",
        "g-recaptcha-response": "t",
        **extra,
    }


def test_open_consultation_shows_questions_and_takes_opinions(client, consultation, django_capture_on_commit_callbacks):
    html = client.get(consultation.url).content.decode()
    assert "您认为幼儿园应建在哪里?" in html and "征集中" in html
    with django_capture_on_commit_callbacks(execute=True):  # the page cache is purged once the letter commits
        response = client.post("/feedback/", opinion(consultation))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.consultation_id == consultation.pk
    assert submission.answers[1] == {"question": "您最关心哪些配套?", "answer": "x停车和接送通道"}
    assert "已收到 1 条意见" in client.get(consultation.url).content.decode()


def test_closed_consultation_refuses_to_attach(client, consultation):
    ConsultationPage.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(consultation.url).content.decode()
    assert "已截止" in page and "提交意见" not in page
    response = client.get("/feedback/", {"consultation": consultation.pk})
    assert "已截止" in response.content.decode()


def test_closing_before_opening_is_a_field_error(consultation):
    from django.core.exceptions import ValidationError

    consultation.closes_at = consultation.opens_at - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        consultation.full_clean()
    assert "closes_at" in error.value.message_dict


def test_publishing_the_outcome_tells_participants_once(client, consultation, django_capture_on_commit_callbacks):
    client.post("/feedback/", opinion(consultation))
    client.post("/feedback/", opinion(consultation, contact_email="", title="第二条意见"))
    mail.outbox.clear()
    consultation.outcome = "<p>共收到 2 条意见,采纳了中心公园旁选址的建议。</p>"
    with django_capture_on_commit_callbacks(execute=True):
        consultation.save_revision().publish()
    assert [m.to for m in mail.outbox] == [["parent@example.com"]]
    with django_capture_on_commit_callbacks(execute=True):
        ConsultationPage.objects.get(pk=consultation.pk).save_revision().publish()
    assert len(mail.outbox) == 1
    assert "采纳了中心公园旁选址" in client.get(consultation.url).content.decode()
