"""Local development: SQLite and Wagtail's database search unless the environment says otherwise."""

from portal.core import request_origin

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

DEBUG = env.bool("DEBUG", default=True)
# A fixed key is fine on a developer's machine and never used elsewhere (production.py demands one).
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-5f0c7a")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
PORTAL_ALLOW_SAMPLE_DATA = True
PORTAL_DEV_ACCOUNTS = True
# The accounts create_dev_admin makes skip the second factor, so `make run` stays two commands.
PORTAL_MFA_EXEMPT_USERNAMES = ["admin", "editor", "office"]
# runserver and the test live server serve static files from the app folders themselves.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]

# Admin links in mail (workflow notices, new letters) on the address being browsed, unless one is set: see
# portal/core/request_origin.py for why only here.
if not env.str("WAGTAILADMIN_BASE_URL", default=""):
    WAGTAILADMIN_BASE_URL = request_origin.admin_base_url
    MIDDLEWARE += ["portal.core.request_origin.RequestOriginMiddleware"]
