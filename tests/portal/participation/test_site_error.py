"""我为政府网站找错: the form (prefilled, errors in Chinese, nothing lost), the same protections as a letter,
its own queue in the admin, and an answer like a letter's."""

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from wagtail import hooks

from portal.participation.models import Submission

pytestmark = pytest.mark.django_db

URL = "/feedback/site-error/"


def call(function):
    return function()


def request_by(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def item_user(client):
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def report(**overrides):
    data = {
        "page_url": f"{settings.SITE_URL}/health/",
        "content": "第三项任务的链接打不开,显示找不到页面。",
        "contact_name": "黄先生",
        "contact_phone": "",
        "contact_email": "huang@example.com",
        "g-recaptcha-response": "token",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def citizen():
    return Client()


@pytest.fixture
def moderator(client):
    client.force_login(get_user_model().objects.create_superuser("mod", "mod@example.gov.cn", "x"))
    return client


def test_the_page_address_is_prefilled_from_the_footer_link_or_the_referer(citizen):
    html = citizen.get(URL, {"url": "/health/task-1/"}).content.decode()
    assert f'value="{settings.SITE_URL}/health/task-1/"' in html
    html = citizen.get(URL, headers={"referer": f"{settings.SITE_URL}/education/"}).content.decode()
    assert f'value="{settings.SITE_URL}/education/"' in html
    # Another site's address is no page of ours.
    html = citizen.get(URL, headers={"referer": "https://elsewhere.example/x"}).content.decode()
    assert "elsewhere.example" not in html


def test_errors_are_in_chinese_and_nothing_typed_is_lost(citizen):
    response = citizen.post(URL, report(page_url="", content="错", contact_phone="abc"))
    html = response.content.decode()
    assert response.status_code == 200 and not Submission.objects.exists()
    assert "请填写出错页面的网址" in html and "问题描述至少 4 个字" in html and "电话号码格式不正确" in html
    assert 'value="黄先生"' in html and 'value="huang@example.com"' in html and ">\n错</textarea>" in html


def test_a_report_gets_a_receipt_and_joins_its_own_queue(citizen, moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post(URL, report(content="<b>链接</b>打不开,显示找不到页面。"), follow=True)
    item = Submission.objects.get()
    html = response.content.decode()
    assert item.number in html and "查询码" in html
    assert item.kind == Submission.Kind.SITE_ERROR and item.page_url == f"{settings.SITE_URL}/health/"
    assert item.content == "链接打不开,显示找不到页面。" and not item.publish_allowed  # sanitized; never public
    assert item.title == "网站找错:/health/"
    assert item.ip and item.verification == "passed"

    queue = reverse("submissions:index")
    assert item.number in moderator.get(queue, {"kind": "site_error"}).content.decode()
    assert item.number not in moderator.get(queue).content.decode()  # the letters' queue is the letters'
    menu_item = next(
        item for item in map(call, hooks.get_hooks("register_admin_menu_item")) if item.name == "site-errors"
    )
    assert menu_item.url == f"{queue}?kind=site_error" and str(menu_item.label) == "网站找错"
    assert menu_item.is_shown(request_by(item_user(moderator)))
    assert not menu_item.is_shown(request_by(get_user_model().objects.create_user("reader")))
    assert f"{settings.SITE_URL}/health/" in moderator.get(reverse("submissions:edit", args=[item.pk])).content.decode()


def test_staff_answer_a_report_like_a_letter(moderator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(URL, report())
    item = Submission.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator.post(
            reverse("submissions:edit", args=[item.pk]), {"status": "answered", "answer": "链接已修复,谢谢指正。"}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "answered" and item.answer == "链接已修复,谢谢指正。"
    assert [m.to for m in mail.outbox] == [["huang@example.com"]]
    # Not a public-service letter: never on the answers page, never in the statistics.
    assert item.number not in Client().get("/feedback/answers/").content.decode()


def test_the_same_protections_as_a_letter(citizen, settings):
    refused = citizen.post(URL, report(), headers={"sec-fetch-site": "cross-site"})
    assert refused.status_code == 403 and "无法确认这份表单是从本站页面提交的" in refused.content.decode()
    assert 'value="黄先生"' in refused.content.decode()
    bot = citizen.post(URL, report(website="http://spam.example"))
    assert bot.status_code == 200 and "提交未能通过检查" in bot.content.decode()
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 0
    assert citizen.post(URL, report()).status_code == 429
    assert not Submission.objects.exists()


def test_the_letter_form_does_not_offer_the_report_kind(citizen):
    html = citizen.get("/feedback/").content.decode()
    assert 'value="site_error"' not in html
    response = citizen.post("/feedback/", {"kind": "site_error", "title": "标题", "content": "内容足够长的一段文字。"})
    assert response.status_code == 200 and not Submission.objects.exists()
