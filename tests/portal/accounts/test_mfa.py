"""The second factor through the real login form: enrolment with a QR code drawn on the server, the code
page on later logins, recovery codes used up one by one, and who is asked at all."""

import base64
import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from wagtail.models import ModelLogEntry

from portal.accounts.services import recovery_codes_issue
from portal.plan.staff import EDITORS
from tests.factories.accounts import TOTPDeviceFactory, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "pass-1234"
SETUP, VERIFY = "/admin/mfa/setup/", "/admin/mfa/verify/"


def editor(username="editor-mfa"):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def password_login(user, address="192.0.2.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself is Wagtail's and unchanged"
    return client


def secret_on(page: str) -> bytes:
    text = re.search(r"<code[^>]*data-secret[^>]*>([^<]+)</code>", page).group(1)
    compact = "".join(text.split())
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def test_first_login_asks_to_enrol_and_shows_a_local_qr_code_and_the_secret():
    user = editor()
    client = password_login(user)

    response = client.get("/admin/pages/")
    assert response.status_code == 302 and response["Location"] == f"{SETUP}?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"]).content.decode()
    assert "设置两步验证" in page and "<svg" in page
    # Drawn here: no image from another server, and no inline script (only Wagtail's JSON config block).
    assert "<img" not in page.split('id="main"')[1]
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", page)
    pending = TOTPDevice.objects.get(user=user)
    assert not pending.confirmed and secret_on(page) == pending.bin_key
    assert secret_on(client.get(SETUP).content.decode()) == pending.bin_key, "the same secret until confirmed"


def test_the_first_code_confirms_the_device_and_shows_ten_recovery_codes_once():
    user = editor()
    client = password_login(user)
    page = client.get(f"{SETUP}?next=/admin/pages/").content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.bin_key == secret_on(page)

    response = client.post(SETUP, {"code": totp_code(device), "next": "/admin/pages/"})
    page = response.content.decode()
    assert response.status_code == 200 and "请保存恢复码" in page and "只显示这一次" in page
    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(shown) == 10
    assert sorted(shown) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert 'href="/admin/pages/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200, "the session is verified"
    assert ModelLogEntry.objects.filter(object_id=str(user.pk), action="portal.mfa_enrol").exists()
    # Back on the setup page, the codes are not shown again.
    again = client.get(SETUP)
    assert again.status_code == 302 and "<code>" not in client.get(again["Location"]).content.decode()


def test_a_wrong_first_code_leaves_the_device_unconfirmed_with_a_chinese_message():
    user = editor()
    client = password_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    page = client.post(SETUP, {"code": wrong}).content.decode()
    assert "验证码不正确或已过期" in page
    device.refresh_from_db()
    assert not device.confirmed and not StaticToken.objects.filter(device__user=user).exists()
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_later_logins_ask_for_the_code_and_return_to_the_page_asked_for():
    user = editor()
    device = TOTPDeviceFactory(user=user)
    client = password_login(user)

    response = client.get("/admin/pages/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    assert "两步验证" in client.get(response["Location"]).content.decode()
    assert client.get(SETUP)["Location"] == VERIFY, "enrolled staff cannot set up a second authenticator"

    code = totp_code(device)
    response = client.post(VERIFY, {"code": f"{code[:3]} {code[3:]}", "next": "/admin/pages/"})
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_and_an_outside_next_is_ignored():
    user = editor()
    device = TOTPDeviceFactory(user=user)
    client = password_login(user)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    assert "验证码不正确或已过期" in client.post(VERIFY, {"code": wrong}).content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY)

    other = editor("editor-mfa-2")
    device = TOTPDeviceFactory(user=other)
    client = password_login(other)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/admin/"})
    assert response["Location"] == "/admin/"


def test_a_recovery_code_works_once_and_says_how_many_are_left():
    user = editor()
    TOTPDeviceFactory(user=user)
    code, *_ = recovery_codes_issue(user=user)
    client = password_login(user)

    # Typed in upper case with a space, as people copy from paper.
    response = client.post(VERIFY, {"code": f"{code[:4].upper()} {code[4:]}"}, follow=True)
    assert response.status_code == 200 and "还剩 9 个" in response.content.decode()
    assert not StaticToken.objects.filter(token=code).exists()

    client = password_login(user)
    assert "验证码不正确或已过期" in client.post(VERIFY, {"code": code}).content.decode()


def test_logout_and_login_stay_open_to_an_unverified_session():
    user = editor()
    TOTPDeviceFactory(user=user)
    client = password_login(user)
    assert client.get("/admin/login/")["Location"] == "/admin/"  # Wagtail's own redirect, then ours
    assert client.post("/admin/logout/").status_code == 302
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_only_dev_settings_exempt_their_accounts(settings):
    user = editor("editor")
    assert Client().get("/").status_code == 200
    client = password_login(user)
    assert client.get("/admin/")["Location"].startswith(SETUP), "no exemption in the test settings"

    settings.PORTAL_MFA_EXEMPT_USERNAMES = ["editor"]
    assert client.get("/admin/").status_code == 200


def test_staff_without_admin_access_are_not_asked(settings):
    reader = get_user_model().objects.create_user("reader", password=PASSWORD)
    client = Client()
    client.force_login(reader)
    assert client.get("/").status_code == 200
    assert not client.get("/admin/")["Location"].startswith((SETUP, VERIFY))


def test_the_steps_own_assets_are_served_to_an_unverified_session():
    client = password_login(editor())
    assert client.get("/admin/sprite/").status_code == 200
    assert client.get("/admin/jsi18n/").status_code == 200
