"""The public form through the test client: saved first, clear errors, reCAPTCHA pass/fail/unreachable."""

import threading

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
    assert submission.number in html and "查询码" in html and "只在这里显示这一次" in html
    # Verified after saving, by the task: Google was asked once, with the token the widget gave.
    assert [call["response"] for call in google.calls] == ["token"]
    assert submission.status == "received" and submission.verification == "passed" and not submission.quarantined
    assert submission.events.count() == 1
    staff, receipt = sorted(mail.outbox, key=lambda m: m.to != ["office@example.gov.cn"])
    assert submission.number in staff.subject and "待人工核验" not in staff.subject
    code = response.context["code"]
    assert receipt.to == ["chen@example.com"] and submission.number in receipt.subject
    assert code in receipt.body and f"/feedback/track/?number={submission.number}" in receipt.body


def test_saved_before_verification_and_hidden_until_it_passes(client, google, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post("/feedback/", valid()).status_code == 302
    submission = Submission.objects.get()
    assert submission.verification == "pending" and submission.quarantined and not google.calls
    assert not mail.outbox  # nobody is told of an unverified item
    for callback in callbacks:
        callback()
    submission.refresh_from_db()
    assert submission.verification == "passed" and not submission.quarantined


def test_receipt_page_offers_print_and_save(client, google):
    response = client.post("/feedback/", valid(), follow=True)
    html = response.content.decode()
    code = response.context["code"]
    assert "打印回执" in html and 'download="' in html and "data:text/plain" in html
    assert code in response.context["receipt_download"].replace("%20", " ")


def test_track_with_number_and_code(client, google):
    response = client.post("/feedback/", valid(), follow=True)
    code = response.context["code"]
    number = Submission.objects.get().number
    found = client.post("/feedback/track/", {"number": number, "code": code.lower()})
    assert "建议增加公办幼儿园学位" in found.content.decode() and "已收到" in found.content.decode()
    wrong = client.post("/feedback/track/", {"number": number, "code": "WRONG123"})
    assert wrong.content.decode().count("受理编号或查询码不正确") == 1  # once, not twice
    assert "幼儿园学位" not in wrong.content.decode()


def test_track_link_fills_in_the_number_only(client):
    html = client.get("/feedback/track/", {"number": "TS20260000042"}).content.decode()
    assert 'value="TS20260000042"' in html and 'name="code"' in html


def test_answer_mail_links_to_tracking_without_the_code(client, google, django_capture_on_commit_callbacks):
    from portal.participation import services

    response = client.post("/feedback/", valid(), follow=True)
    code, submission = response.context["code"], Submission.objects.get()
    mail.outbox.clear()
    previous = submission.status
    submission.status, submission.answer = "answered", "已安排。"
    submission.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_record_moderation(submission=submission, previous_status=previous, user=None)
    (answer_mail,) = mail.outbox
    assert f"/feedback/track/?number={submission.number}" in answer_mail.body and code not in answer_mail.body


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


def test_rate_limit_counts_accepted_submissions(client, google, settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = 2
    for _ in range(2):
        assert client.post("/feedback/", valid()).status_code == 302
    response = client.post("/feedback/", valid())
    assert response.status_code == 429 and "稍等几分钟" in response.content.decode()
    assert "台城街道公办幼儿园学位紧张" in response.content.decode()  # nothing typed is lost
    assert Submission.objects.count() == 2


def test_correcting_a_form_many_times_is_not_refused(client, google, settings):
    settings.PARTICIPATION_RATE_PER_MINUTE = 5
    for _ in range(8):
        response = client.post("/feedback/", valid(content="太短"))
        assert response.status_code == 200 and "至少 10 个字" in response.content.decode()
    assert client.post("/feedback/", valid()).status_code == 302


def test_scripted_flood_is_bounded(client, google, settings):
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 4
    statuses = [client.post("/feedback/", valid(content="太短")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_captcha_failure_keeps_the_submission_quarantined(client, google, django_capture_on_commit_callbacks):
    google.mode = google.FAIL
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/feedback/", valid())
    response = client.get("/feedback/thanks/")
    submission = Submission.objects.get()
    assert submission.verification == "failed" and submission.quarantined and not submission.is_public
    assert "invalid-input-response" in submission.quarantine_reason
    assert "人工核验" in response.content.decode()
    assert not mail.outbox  # a bot cannot make the portal mail anyone


def test_captcha_missing_is_refused_in_plain_chinese(client, google):
    response = client.post("/feedback/", valid(**{"g-recaptcha-response": ""}))
    assert "请先完成人机验证" in " ".join(response.context["form"].errors["captcha"])
    assert "请先完成人机验证" in response.content.decode()  # the error is shown, beside the widget
    assert "g-recaptcha" in response.content.decode()
    assert not Submission.objects.exists() and not google.calls


def test_google_hanging_keeps_and_quarantines(client, google, django_capture_on_commit_callbacks):
    google.mode = google.HANG
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/feedback/", valid())
    response = client.get("/feedback/thanks/")
    submission = Submission.objects.get()
    assert submission.verification == "unreachable" and submission.quarantined
    assert "无法连接" in response.content.decode()
    assert any(m.to == ["chen@example.com"] for m in mail.outbox)  # a real citizen still gets the receipt


def test_google_refusing_connections_keeps_and_quarantines(client, settings, django_capture_on_commit_callbacks):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        settings.RECAPTCHA_DOMAIN = f"127.0.0.1:{closed.getsockname()[1]}"  # bound, never listening
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/feedback/", valid())
    assert Submission.objects.get().verification == "unreachable"


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
