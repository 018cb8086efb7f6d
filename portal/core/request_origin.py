"""Development only: admin links in mail on the address the developer is browsing, whatever port it runs on.

Production builds them from WAGTAILADMIN_BASE_URL (SITE_URL unless set apart), never from a request's Host header,
which a proxy or a forged request decides. On a developer's machine the one address certainly right is the one in
the browser (`PORT=8080 make run`, localhost or 127.0.0.1), so dev settings make WAGTAILADMIN_BASE_URL a lazy
string read from the request being served. The mail is sent inside that request (Wagtail's workflow notices on
submit, ours through the immediate task backend); outside one, a management command say, it is SITE_URL.
"""

from contextvars import ContextVar

from django.conf import settings
from django.utils.functional import lazy

current = ContextVar("request_origin", default="")


class RequestOriginMiddleware:
    """Remembers the scheme and host of the request being served, for admin_base_url."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(f"{request.scheme}://{request.get_host()}")
        try:
            return self.get_response(request)
        finally:
            current.reset(token)


def origin() -> str:
    return current.get() or settings.SITE_URL


# A str that reads the origin afresh each time it is used (Django's lazy does not cache, unlike SimpleLazyObject).
admin_base_url = lazy(origin, str)()
