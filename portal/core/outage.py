"""A database outage answers 503 with a Retry-After, in Chinese, rather than a 500.

Only the errors that mean "the database cannot be reached or used now" (OperationalError, InterfaceError)
are answered here; any other error still reaches Django's 500 handling, so nothing that went wrong in a
half-done write is ever turned into a success. A refused form POST keeps nothing: every write runs in a
transaction, which has been rolled back by the time the error reaches this middleware.

The page is rendered without a request (no context processors), so it never queries the failing database.
"""

import logging

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError)
# Seconds: long enough for a restart or a failover, short enough that a resident retrying is not turned away.
RETRY_AFTER = 60


def unavailable(request, error: Exception) -> HttpResponse:
    """The 503 answer to a database error met while handling `request`."""
    logger.error("Database unavailable while answering %s %s", request.method, request.path, exc_info=error)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Never kept by the page cache or a proxy: the site is back as soon as the database is.
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Answers a view's database connection error with 503 (process_exception sees only views' errors)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGE_ERRORS):
            return unavailable(request, exception)
        return None
