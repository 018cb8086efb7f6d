"""Test settings: the real PostgreSQL that `make test` starts, a fast hasher, no outside mail."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:54329/portal")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PORTAL_ALLOW_SAMPLE_DATA = True
# runserver and the test live server serve static files from the app folders themselves.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="portal-test")
