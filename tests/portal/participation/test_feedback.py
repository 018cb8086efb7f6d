"""The public form through the test client: saved first, clear errors, reCAPTCHA pass/fail/unreachable."""

import threading
from urllib.error import URLError

import pytest

from django.core import mail
from django.db import connection
from django.test import Client

from portal.participation.models import Submission
from portal.plan.models import DomainPage, TaskPage

pytestmark = pytest.mark.django_db


BASE = {
    "kind": "opinion",
    "title": "建议增加公办幼儿园学位",
    "content": "我所在的台城街道公办幼儿园学位紧张,建议在新区增设一所公办幼儿园。",
    "g-recaptcha-response": "token",
}


def valid(**overrides):
    data = {
        "kind": "opinion",
        "domain": str(DomainPage.objects.get(slug="education").pk),
        "title": "建议增加公办幼儿园学位",
        "content": "我所在的台城街道公办幼儿园学位紧张,建议在新区增设一所公办幼儿园。",
        "publish_allowed": "on",
        "contact_name": "陈先生",
        "contact_phone": "0750-5512345",
        "contact_email": "chen@example.com",
        "g-recaptcha-response": "token",
        "website": "",
    }
    data.update(overrides)
    return data


def test_submit_saves_and_shows_number_and_code(client, google, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/feedback/", valid(), follow=True)
    assert response.status_code == 200
    submission = Submission.objects.get()
    html = response.content.decode()
    assert submission.number in html and "查询码" in html
    assert submission.status == "received" and not submission.quarantined
    assert submission.events.count() == 1 and google.calls
    assert mail.outbox and submission.number in mail.outbox[0].subject


def test_track_with_number_and_code(client, google):
    response = client.post("/feedback/", valid(), follow=True)
    code = response.context["code"]
    number = Submission.objects.get().number
    found = client.post("/feedback/track/", {"number": number, "code": code.lower()})
    assert "建议增加公办幼儿园学位" in found.content.decode() and "已收到" in found.content.decode()
    wrong = client.post("/feedback/track/", {"number": number, "code": "WRONG123"})
    assert "不正确" in wrong.content.decode() and "幼儿园学位" not in wrong.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "请填写标题"),
        ({"content": "太短"}, "content", "至少 10 个字"),
        ({"kind": ""}, "kind", "请选择来信类型"),
        ({"contact_email": "not-an-email"}, "contact_email", "电子邮箱格式不正确"),
        ({"contact_phone": "call me maybe"}, "contact_phone", "电话号码格式不正确"),
        ({"domain": "999999"}, "domain", "所选领域不存在"),
    ],
)
def test_bad_input_gets_a_clear_field_error_and_keeps_the_text(client, google, overrides, field, message):
    response = client.post("/feedback/", valid(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "台城街道公办幼儿园学位紧张" in response.content.decode() or field == "content"
    assert not Submission.objects.exists()


def test_task_must_belong_to_the_domain(client, google):
    other = TaskPage.objects.child_of(DomainPage.objects.get(slug="health")).first()
    response = client.post("/feedback/", valid(task=str(other.pk)))
    assert "不属于所选领域" in " ".join(response.context["form"].errors["task"])


def test_context_is_preselected_from_the_page(client):
    domain = DomainPage.objects.get(slug="housing")
    response = client.get("/feedback/", {"domain": "housing"})
    assert response.context["form"].initial["domain"] == domain.pk


def test_honeypot(client, google):
    response = client.post("/feedback/", valid(website="http://spam.example"))
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "未能通过检查" in response.content.decode()


def test_rate_limit_answers_clearly(client, google, settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert client.post("/feedback/", valid()).status_code == 302
    response = client.post("/feedback/", valid())
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Submission.objects.count() == 2


def test_captcha_failure_is_refused_with_a_message(client, google):
    google.answer = {"success": False, "error-codes": ["invalid-input-response"]}
    response = client.post("/feedback/", valid())
    assert "人机验证未通过" in " ".join(response.context["form"].errors["captcha"])
    assert not Submission.objects.exists()


def test_captcha_missing_is_refused(client, google):
    response = client.post("/feedback/", valid(**{"g-recaptcha-response": ""}))
    assert "请勾选" in " ".join(response.context["form"].errors["captcha"])


def test_google_unreachable_keeps_and_quarantines(client, google):
    google.error = URLError("network unreachable")
    response = client.post("/feedback/", valid(), follow=True)
    submission = Submission.objects.get()
    assert submission.quarantined and not submission.is_public
    assert "人工核验" in response.content.decode() or "核验" in response.content.decode()


def test_google_timeout_keeps_and_quarantines(client, google):
    google.error = TimeoutError("timed out")
    client.post("/feedback/", valid())
    assert Submission.objects.get().quarantined


def test_no_keys_no_widget(client, settings):
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""
    assert "g-recaptcha" not in client.get("/feedback/").content.decode()
    assert client.post("/feedback/", valid()).status_code == 302


def test_personal_data_is_never_public(client, google):
    from portal.participation import services

    client.post("/feedback/", valid())
    submission = Submission.objects.get()
    submission.status, submission.answer, submission.is_public = "answered", "已列入2015年建设计划。", True
    submission.save()
    html = client.get("/feedback/answers/").content.decode()
    assert "已列入2015年建设计划" in html
    for secret in ("陈先生", "0750-5512345", "chen@example.com"):
        assert secret not in html
    services.submission_erase_personal_data(submission=submission, user=None)
    submission.refresh_from_db()
    assert not (submission.contact_name or submission.contact_phone or submission.contact_email or submission.ip)
    assert submission.content and submission.personal_data_erased_at


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_collide(google, settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = 1000
    errors = []

    def submit(i):
        try:
            response = Client(REMOTE_ADDR=f"10.0.0.{i}").post("/feedback/", {**BASE, "title": f"并发测试{i}"})
            assert response.status_code == 302, response.status_code
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = list(Submission.objects.values_list("number", flat=True))
    assert len(numbers) == 20 and len(set(numbers)) == 20
