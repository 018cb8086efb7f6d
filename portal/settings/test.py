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
# Google's published test keys: the widget renders and every verification succeeds; tests answer
# Google's verification at its HTTP boundary (django_recaptcha.client.recaptcha_request).
RECAPTCHA_PUBLIC_KEY = "6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI"
RECAPTCHA_PRIVATE_KEY = "6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe"
SILENCED_SYSTEM_CHECKS = ["django_recaptcha.recaptcha_test_key_error"]
PARTICIPATION_STAFF_EMAILS = ["office@example.gov.cn"]
