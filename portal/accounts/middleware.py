"""Send staff who have given only their password to the second step before any other admin page.

Runs after django_otp's OTPMiddleware (which sets request.user.is_verified()). Only /admin/ is guarded:
the public site treats a logged-in colleague like any reader. Login, logout and the two steps themselves
stay open, and so do the icon sprite and JavaScript catalogue that their pages load (a redirected sprite
would paste the whole setup page into every page as icons).
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .services import mfa_enrolled, mfa_required

OPEN = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "portal_mfa_setup",
    "portal_mfa_verify",
}


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # process_view, not __call__: the resolved URL name says which admin pages stay open.
        if not request.path.startswith(reverse("wagtailadmin_home")) or request.resolver_match.url_name in OPEN:
            return None
        user = request.user
        if not mfa_required(user) or user.is_verified():
            return None
        step = "portal_mfa_verify" if mfa_enrolled(user) else "portal_mfa_setup"
        # A GET is worth coming back to; a POST's form data is lost anyway, so its page is not.
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(step)}?{query}" if query else reverse(step))
