"""Production settings served over plain HTTP on this machine only: what `make run-prod` runs.

A real deployment terminates HTTPS at the load balancer, so production redirects to HTTPS, marks
cookies secure and may send HSTS. On a developer's or operator's own machine there is no TLS in
front, and those settings would lock the browser out of http://127.0.0.1. This module turns exactly
them off, and only when asked twice: the settings module is named explicitly and PORTAL_LOCAL_HTTP=1
is set. It refuses to load if any allowed host or SITE_URL is not a loopback name, so a server that
answers to a public name can never run it by accident. production.py itself never reads the switch.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .production import *  # noqa: F403
from .production import ALLOWED_HOSTS, SITE_URL, env

LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}

if not env.bool("PORTAL_LOCAL_HTTP", default=False):
    raise ImproperlyConfigured(
        "portal.settings.local_prod serves plain HTTP for local use only: set PORTAL_LOCAL_HTTP=1 to mean it, "
        "or use portal.settings.production."
    )
if not ALLOWED_HOSTS or set(ALLOWED_HOSTS) - LOOPBACK_NAMES:
    raise ImproperlyConfigured(
        f"PORTAL_LOCAL_HTTP=1 allows only loopback names in ALLOWED_HOSTS ({', '.join(sorted(LOOPBACK_NAMES))}), "
        f"not {ALLOWED_HOSTS}: a site with a public name is served over HTTPS with portal.settings.production."
    )
if urlsplit(SITE_URL).hostname not in LOOPBACK_NAMES:
    raise ImproperlyConfigured(f"PORTAL_LOCAL_HTTP=1 needs SITE_URL on a loopback name, not {SITE_URL}.")

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
