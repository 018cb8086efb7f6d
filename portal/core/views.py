"""The larger-text control, usable without JavaScript: a link that sets a cookie and comes back."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from .context_processors import TEXT_SIZE_COOKIE, TEXT_SIZE_MAX_AGE


@require_GET
def text_size(request):
    size = "large" if request.GET.get("size") == "large" else "normal"
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    # Not httponly: site.js switches the size in place and writes the same cookie.
    response.set_cookie(
        TEXT_SIZE_COOKIE, size, max_age=TEXT_SIZE_MAX_AGE, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
    )
    return response
