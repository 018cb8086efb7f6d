"""The second factor's writes: enrolment, verification, reset; and the audit line for a lockout.

A staff member's TOTP device is confirmed only by a code from their authenticator, and confirming it
issues a fresh set of recovery codes (a StaticDevice) that are shown once. Tokens are always checked
against one chosen device (django_otp.verify_token), never tried on all devices: a recovery code
typed on the code page must not count as a failed TOTP attempt and slow the next real one.
"""

import logging
import re

import django_otp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from wagtail.log_actions import log

logger = logging.getLogger("portal.accounts")

TOTP_CODE = re.compile(r"\d{6}")


def mfa_required(user) -> bool:
    """Whoever can enter /admin/ publishes in the government's name; only dev.py exempts anyone."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
        and user.get_username() not in settings.PORTAL_MFA_EXEMPT_USERNAMES
    )


def mfa_enrolled(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


def mfa_pending_device(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret on every reload until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=_("身份验证器"), confirmed=False)


@transaction.atomic
def mfa_confirm(*, user, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with its first code; returns it and new recovery codes, or None."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if pending is None or not TOTP_CODE.fullmatch(token):
        return None
    device = django_otp.verify_token(user, pending.persistent_id, token)
    if device is None:
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # A second authenticator left over from another tab would be a way in that nobody confirmed.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = recovery_codes_issue(user=user)
    # device.user is the model instance; request.user is a lazy wrapper that the audit log would skip.
    log(device.user, "portal.mfa_enrol", user=device.user)
    return device, codes


def recovery_codes_issue(*, user) -> list[str]:
    """Replace the user's recovery codes with PORTAL_MFA_RECOVERY_CODES new ones."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("恢复码"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.PORTAL_MFA_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_verify(*, user, token: str):
    """The confirmed device that accepts this token (six digits: the authenticator; else a recovery code,
    which is used up), or None."""
    model = TOTPDevice if TOTP_CODE.fullmatch(token) else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        if verified := django_otp.verify_token(user, device.persistent_id, token):
            return verified
    return None


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def mfa_reset(*, user, by: str = "") -> int:
    """Remove every device of the user (authenticator and recovery codes); they enrol again at next login.

    A session verified with a removed device is no longer verified: OTPMiddleware finds no device for it.
    """
    removed = 0
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    log(user, "portal.mfa_reset", data={"devices": removed, "by": by})
    logger.warning("two-factor devices of %s reset by %s (%d removed)", user.get_username(), by or "-", removed)
    return removed


def log_lockout(sender, request, username, ip_address, **kwargs):
    """axes' user_locked_out signal: one WARNING line for the operators (axes keeps the attempts in its tables)."""
    logger.warning(
        "admin login locked after %d failures: username=%r address=%s",
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address,
    )
