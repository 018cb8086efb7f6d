"""Logging a staff member in to /admin/ in the browser: password, then the code from their authenticator."""

from django.contrib.auth import get_user_model

from tests.factories.accounts import TOTPDeviceFactory, totp_code


def log_in(page, base: str, username: str, password: str = "pass-1234") -> None:
    """Both steps as a colleague who enrolled earlier (tests/browser/test_staff_mfa.py shows enrolment)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/mfa/verify/**")
    page.fill("input[name=code]", totp_code(device))
    page.click("form.login-form button[type=submit]")
    page.wait_for_url(f"{base}/admin/")
