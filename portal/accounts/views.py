"""The second step after the admin's password form: enrol an authenticator once, then give a code each login.

Both pages sit under /admin/ (wagtail_hooks.py) and look like Wagtail's own login page. The QR code is drawn
here as inline SVG: the secret never leaves the server for an outside image service, and no script is needed.
"""

import base64

import django_otp
import segno
from django_otp.plugins.otp_static.models import StaticDevice

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import CodeForm
from .services import (
    mfa_confirm,
    mfa_enrolled,
    mfa_pending_device,
    mfa_required,
    mfa_verify,
    recovery_codes_left,
)


def next_url(request) -> str:
    """Where the admin wanted to go before the second step; only our own addresses."""
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("wagtailadmin_home")


def with_next(name: str, request) -> str:
    return f"{reverse(name)}?{request.GET.urlencode()}" if request.GET.get("next") else reverse(name)


def grouped(secret: str) -> str:
    """Four characters at a time, as authenticator apps print it and people copy it."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@sensitive_post_parameters("code")
def setup(request):
    user = request.user
    if not mfa_required(user) or user.is_verified():
        return redirect(next_url(request))
    if mfa_enrolled(user):
        return redirect(with_next("portal_mfa_verify", request))
    device = mfa_pending_device(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if confirmed := mfa_confirm(user=user, token=form.cleaned_data["code"]):
            totp, codes = confirmed
            django_otp.login(request, totp)
            # Rendered in this response, never stored: the codes are shown exactly once.
            return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "next": next_url(request)})
        form.add_error("code", _("验证码不正确或已过期,请输入身份验证器上当前显示的 6 位数字。"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title=_("身份验证器二维码"))
    context = {"form": form, "qr_svg": mark_safe(qr), "secret": grouped(secret), "next": next_url(request)}
    return render(request, "accounts/mfa_setup.html", context)


@never_cache
@sensitive_post_parameters("code")
def verify(request):
    user = request.user
    if not mfa_required(user) or user.is_verified():
        return redirect(next_url(request))
    if not mfa_enrolled(user):
        return redirect(with_next("portal_mfa_setup", request))
    form = CodeForm(request.POST or None, recovery=True)
    if form.is_valid():
        if device := mfa_verify(user=user, token=form.cleaned_data["code"]):
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = recovery_codes_left(user=user)
                text = _("已用掉一个恢复码,还剩 %(left)d 个。请尽快找回手机,或请领导小组办公室重置两步验证。")
                messages.warning(request, text % {"left": left})
            return redirect(next_url(request))
        form.add_error("code", _("验证码不正确或已过期。连续输错后需稍等几秒再试。"))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": next_url(request)})
