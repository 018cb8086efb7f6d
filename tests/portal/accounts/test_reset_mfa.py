"""`manage.py reset_mfa USERNAME`: the office's way back in for a colleague who lost phone and recovery codes."""

import io
import logging

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wagtail.models import ModelLogEntry

from portal.accounts.services import recovery_codes_issue

pytestmark = pytest.mark.django_db


def test_reset_removes_the_devices_records_it_and_asks_to_enrol_again(client, caplog):
    user = get_user_model().objects.create_superuser("chief", "chief@example.gov.cn", "x")
    client.force_login(user)  # verified with a real device (tests/factories/accounts.py)
    recovery_codes_issue(user=user)
    assert client.get("/admin/").status_code == 200

    with caplog.at_level(logging.WARNING, logger="portal.accounts"):
        call_command("reset_mfa", "chief", stdout=(out := io.StringIO()))

    assert "已重置 chief 的两步验证" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    entry = ModelLogEntry.objects.get(object_id=str(user.pk), action="portal.mfa_reset")
    assert entry.data["devices"] == 2 and "reset_mfa" in entry.data["by"]
    assert any("chief" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    # The session verified with the removed device is sent to enrol a new one.
    assert client.get("/admin/")["Location"].startswith("/admin/mfa/setup/")


def test_an_unknown_username_is_an_error_in_chinese():
    with pytest.raises(CommandError, match="没有用户名为 nobody 的账号"):
        call_command("reset_mfa", "nobody")
