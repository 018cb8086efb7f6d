"""reCAPTCHA through django-recaptcha, checked after the citizen's words are saved, never before.

The form only requires that the widget gave a token (no network call on the request path). The
token is then verified by a django-tasks task once the submission or rating has committed
(`verify_submission`, `verify_rating` in services.py and satisfaction.py): a pass releases the
item, a failure or an unreachable or hanging Google leaves it quarantined for a moderator. A
hanging verification endpoint therefore holds a background worker for RECAPTCHA_VERIFY_REQUEST_TIMEOUT
seconds, not a web worker, and never a citizen.
"""

import logging
from dataclasses import dataclass
from urllib.error import URLError

from django_recaptcha import client
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox, ReCaptchaV3

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("portal.participation")

# The script's callback and the v3 form hook live in static/js/site.js: no inline script (CSP).
V2_CALLBACK = "portalCaptchaSolved"


def configured() -> bool:
    return bool(settings.RECAPTCHA_PUBLIC_KEY and settings.RECAPTCHA_PRIVATE_KEY)


class TokenField(ReCaptchaField):
    """django-recaptcha's field and widget, asking only that a token is present.

    ReCaptchaField.validate() would call Google inside the request; the check is the task's job.
    """

    def validate(self, value):
        forms.CharField.validate(self, value)


def build_field(action: str) -> TokenField:
    if settings.RECAPTCHA_VERSION == "v3":
        widget = ReCaptchaV3(action=action, attrs={"data-action": action})
    else:
        widget = ReCaptchaV2Checkbox(api_params={"hl": "zh-CN"}, attrs={"data-callback": V2_CALLBACK})
    return TokenField(
        widget=widget,
        label=_("人机验证"),
        error_messages={"required": _("请先完成人机验证:勾选“进行人机身份验证”(或稍候让页面自动完成),然后再提交。")},
    )


@dataclass(frozen=True)
class Outcome:
    """What Google said: passed, failed (with why), or unreachable (with why)."""

    status: str  # one of Submission.Verification's values: passed / failed / unreachable
    reason: str = ""


def check(*, token: str, ip: str | None, action: str) -> Outcome:
    """Ask Google about a token. Never raises: every kind of failure becomes an Outcome."""
    try:
        answer = client.submit(recaptcha_response=token, private_key=settings.RECAPTCHA_PRIVATE_KEY, remoteip=ip or "")
    except (URLError, TimeoutError, OSError, ValueError, KeyError) as error:
        # URLError covers HTTP error answers, refused connections and timeouts during connect;
        # TimeoutError/OSError a read that hangs; ValueError (JSON) and KeyError an answer that is not
        # Google's. Google unverifiable is not the citizen's fault: the item waits for a person.
        logger.warning("reCAPTCHA verification unavailable: %r", error)
        return Outcome("unreachable", str(_("人机验证服务无法连接或未响应,需人工核验。")))
    if not answer.is_valid:
        codes = ", ".join(answer.error_codes) or "-"
        return Outcome("failed", str(_("人机验证未通过(%(codes)s),需人工核验。") % {"codes": codes}))
    if settings.RECAPTCHA_VERSION == "v3":
        if answer.action != action:
            return Outcome("failed", str(_("人机验证的操作不符,需人工核验。")))
        score = float(answer.extra_data.get("score", 0))
        if score < settings.RECAPTCHA_REQUIRED_SCORE:
            return Outcome("failed", str(_("人机验证评分过低(%(score)s),需人工核验。") % {"score": score}))
    return Outcome("passed")
