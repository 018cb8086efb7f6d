"""The readers' display controls, usable without JavaScript: links that set a cookie and come back."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .context_processors import CARE_MODE_COOKIE, TEXT_SIZE_COOKIE

YEAR = 365 * 24 * 3600


def remember(request, cookie: str, value: str) -> HttpResponseRedirect:
    """Back to the page the reader was on (never to another site), with the choice kept for a year."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    # Not httponly: site.js switches the text size in place and writes the same cookie.
    response.set_cookie(cookie, value, max_age=YEAR, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response


@require_GET
def text_size(request):
    return remember(request, TEXT_SIZE_COOKIE, "large" if request.GET.get("size") == "large" else "normal")


@require_GET
def care_mode(request):
    return remember(request, CARE_MODE_COOKIE, "on" if request.GET.get("mode") == "on" else "off")
