"""Content-Security-Policy: django-csp's middleware with the two things its settings cannot say.

1. reCAPTCHA's sources follow RECAPTCHA_DOMAIN as it is when the response is made (www.google.com, or
   www.recaptcha.net where google.com is blocked), so the policy and the widget's <script> can never name
   different hosts.
2. Wagtail's admin is not our markup: it needs inline scripts and styles that the public site forbids. Its
   views are not ours to decorate, so paths under CONTENT_SECURITY_POLICY_ADMIN["PATH_PREFIXES"] get that
   setting's directives in place of the public ones.

Whether the header enforces or only reports (CSP_REPORT_ONLY) is decided in settings: both hooks follow
whichever of CONTENT_SECURITY_POLICY / CONTENT_SECURITY_POLICY_REPORT_ONLY is set.
"""

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

GSTATIC = "https://www.gstatic.com/recaptcha/"


def recaptcha_sources() -> dict[str, list[str]]:
    """What Google's widget loads: api.js from the domain, its code from gstatic, its box in an iframe."""
    domain = f"https://{settings.RECAPTCHA_DOMAIN}/recaptcha/"
    return {"script-src": [domain, GSTATIC], "frame-src": [domain]}


def is_admin_path(request: HttpRequest) -> bool:
    return request.path_info.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN["PATH_PREFIXES"]))


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        base = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY if report_only else settings.CONTENT_SECURITY_POLICY
        # Only where this header is configured at all, and where a view has not chosen its own policy.
        if not base or parts.config is not None:
            return parts
        if is_admin_path(request):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
        else:
            # Added to a view's own csp_update, if it has one, rather than replacing it.
            update = recaptcha_sources()
            for directive, sources in (parts.update or {}).items():
                extra = [sources] if isinstance(sources, str) else list(sources or [])
                update[directive] = [*update.get(directive, []), *extra]
            parts.update = update
        return parts
