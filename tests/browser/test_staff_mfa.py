"""A new staff member in a real browser: the first login enrols an authenticator from the QR page and shows
recovery codes, later logins ask for the code, and ten wrong passwords lock the account."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.plan.staff import EDITORS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-1234"


class Authenticator:
    """The phone app: knows only the secret the page showed, and never shows the same step twice."""

    def __init__(self, secret_text: str):
        compact = "".join(secret_text.split())
        self.totp = TOTP(base64.b32decode(compact + "=" * (-len(compact) % 8)))
        self.last_step = -1

    def code(self) -> str:
        self.totp.time = time.time()
        self.totp.drift = 0
        # Within the step already used, the next one (the server allows one step of clock drift).
        self.totp.drift = max(0, self.last_step + 1 - self.totp.t())
        self.last_step = self.totp.t()
        return f"{self.totp.token():06d}"


def submit_password(page, base, password):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", "editor-new")
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_enrol_on_first_login_then_code_on_the_next_and_lockout(site, browser, tmp_path):
    from django.core.management import call_command

    call_command("setup_staff", verbosity=0)
    user = get_user_model().objects.create_user("editor-new", password=PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    base = site.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    submit_password(page, base, PASSWORD)
    page.wait_for_url(f"{base}/admin/mfa/setup/**")
    assert page.locator("h1").inner_text() == "设置两步验证"
    assert page.locator(".mfa-qr svg").is_visible()
    page.screenshot(path=str(tmp_path / "enrol.png"), full_page=True)
    phone = Authenticator(page.locator("[data-secret]").inner_text())
    page.fill("input[name=code]", phone.code())
    page.click("form.login-form button[type=submit]")

    codes = page.locator("[data-recovery-codes] li")
    codes.first.wait_for()
    assert codes.count() == 10 and "只显示这一次" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "recovery-codes.png"), full_page=True)
    page.get_by_role("link", name="我已保存恢复码,进入后台").click()
    page.wait_for_url(f"{base}/admin/")
    assert page.locator("#wagtail-sidebar").count() == 1, "the admin itself, not a step before it"

    page.locator(".sidebar-footer__account").click()
    page.get_by_role("button", name="注销").click()
    page.wait_for_url(f"{base}/admin/login/**")

    submit_password(page, base, PASSWORD)
    page.wait_for_url(f"{base}/admin/mfa/verify/**")
    assert page.locator("h1").inner_text() == "两步验证"
    page.fill("input[name=code]", phone.code())
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    stranger = browser.new_context(locale="zh-CN").new_page()
    for attempt in range(10):
        submit_password(stranger, base, f"wrong-{attempt}")
    stranger.wait_for_load_state()
    assert "账号已暂时锁定" in stranger.locator("main").inner_text()
    stranger.screenshot(path=str(tmp_path / "locked.png"), full_page=True)
    submit_password(stranger, base, PASSWORD)
    text = stranger.locator("main").inner_text()
    assert "账号已暂时锁定" in text and "联系领导小组办公室" in text
    context.close()
