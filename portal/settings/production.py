"""Production: every secret and host comes from the environment; missing ones stop the start.

environ.Env raises ImproperlyConfigured for a variable read without a default, so a server
without SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL or SITE_URL refuses to start rather than run insecurely.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_site_url

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")
# An empty value (a template's "SECRET_KEY=" left unfilled) would sign sessions with a key anyone knows.
if not SECRET_KEY.strip():
    raise ImproperlyConfigured("SECRET_KEY is empty: set it to a long random value (a missing key is refused too)")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# No default: links in open data, feeds and mail would otherwise point at a developer's machine.
SITE_URL = env_site_url("SITE_URL")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=SITE_URL)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Every cookie we set (session, CSRF, language, and our own text size, receipt and voter cookies, which
# follow SESSION_COOKIE_SECURE) travels over HTTPS only.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
# A year, as browsers' preload lists expect. Subdomains and preloading stay opt-in: both bind hosts this
# site does not control (other bureaus under the same domain) and are slow to undo.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="portal-prod")
