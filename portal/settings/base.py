"""Settings shared by every environment.

Nothing secret and nothing insecure lives here: the secret key, allowed hosts and database come
from the environment modules (dev.py gives harmless local defaults, production.py demands them).
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import environ

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DEBUG = False

INSTALLED_APPS = [
    "portal.core",
    "portal.plan",
    "portal.updates",
    "portal.opendata",
    "portal.participation",
    "portal.about",
    "portal.follow",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "django_tasks",
    "django_tasks_db",
    "django_recaptcha",
    "csp",
]

MIDDLEWARE = [
    # First, so that a plain-HTTP request is redirected to HTTPS rather than answered from the cache.
    "django.middleware.security.SecurityMiddleware",
    # Anonymous readers get public pages from the shared cache, before sessions, sites or the database.
    # It stands outside the header middlewares below, so a kept page is kept with their headers (neither
    # varies by visitor: there is no CSP nonce) and a hit does not build them again.
    "portal.core.pagecache.PageCacheMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "portal.core.csp.PortalCSPMiddleware",
    # Control characters leave the query string before any view reads it (PostgreSQL refuses NUL).
    "portal.core.inputs.ControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.core.pagecache.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # zh-hant for /zh-hant/… only (i18n_patterns without a prefix for the default), then that page in traditional
    # characters: inside the page cache and gzip, so both keep and compress the converted page.
    "django.middleware.locale.LocaleMiddleware",
    "portal.core.script.TraditionalScriptMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A database that cannot be reached answers 503 with Retry-After, never a 500.
    "portal.core.outage.DatabaseOutageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"

# Powerful browser features no page of ours uses, denied so that injected script or a framed page cannot
# ask a resident for them. Fullscreen and autoplay stay allowed for embedded videos in progress reports.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.core.context_processors.portal",
                "portal.core.fragments.fragment",
                "portal.plan.context_processors.navigation",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/django_recaptcha/ overrides django-recaptcha's inline
# scripts (a strict Content-Security-Policy allows no inline script).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "portal.wsgi.application"

# The embedded default is SQLite; DATABASE_URL (postgres://…) switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def survives_outage(cache: dict) -> dict:
    """A Redis that cannot be reached must not take the site down: django-redis then answers as an empty
    cache (pages are rendered rather than kept, the limits count nothing) and logs each failure, where it
    would otherwise raise into every view, Wagtail's own site lookup included."""
    if cache["BACKEND"] == "django_redis.cache.RedisCache":
        # A Redis host that does not answer at all (no refusal) costs each cache call at most these seconds.
        cache.setdefault("OPTIONS", {}).update(IGNORE_EXCEPTIONS=True, SOCKET_CONNECT_TIMEOUT=1, SOCKET_TIMEOUT=1)
    return cache


CACHES = {
    "default": survives_outage(env.cache("CACHE_URL", default="locmemcache://")),
    # Fragments of pages (indicator cards, the feedback fold) in each process's memory, keyed on the content stamp
    # that every purge renews (portal/core/fragments.py). At most MAX_ENTRIES of them, some 3 KB each.
    "template_fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "template-fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}
# How long a fragment is kept at most (0: never kept). Content changes need no wait: they renew the stamp.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=3600)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

# The page cache (portal/core/pagecache.py): public pages for readers without a session, purged when staff
# publish (portal/core/purging.py). 0 turns it off. Paths under PAGE_CACHE_SKIP_PATHS are never kept
# (search results are one page per query and feed the query log).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SKIP_PATHS = ["/admin/", "/documents/", "/search/"]
# A CDN or Varnish in front that accepts HTTP PURGE: Wagtail's frontend cache sends it the same URLs that the page
# cache drops. Other CDNs (Cloudflare, CloudFront, Azure) are configured in a settings module (README).
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE = {
        "http": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
# One content tree in simplified characters; /zh-hant/… serves every public page converted to traditional ones
# (portal/core/script.py). The URLs of the default language carry no prefix.
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
# Staff work in simplified Chinese only. The admin reverses public URLs (view live, purges, mail) in its user's
# language, so a language outside LANGUAGES would become a prefix no URL answers (/en/health/); and Wagtail writes
# each one's workflow mail in the language of their profile, which must be one the portal has words for
# (locale_wagtail/ fills Wagtail's zh_Hans gaps only).
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES[:1]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Ours first (`make messages` rebuilds it), then Wagtail's admin strings that Wagtail's own zh_Hans catalog lacks
# (locale_wagtail/, kept by hand: its .po says why), both before the apps' catalogs.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_wagtail"]
# Dates as the contract gives them: YYYY-MM-DD HH:MM.
DATETIME_FORMAT = "Y-m-d H:i"
DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@localhost")

WAGTAIL_SITE_NAME = "台山市基本公共服务均等化"


def env_site_url(name: str, **default) -> str:
    """The site's public address (scheme, host, optional port), checked here so a typo stops the start."""
    value = env.str(name, **default).rstrip("/")
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - a port that is not a number raises ValueError
        valid = parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}: expected an address such as https://gxfw.example.gov.cn, not {value!r}")
    return value


# The one public address: open data, feeds and mail build their absolute links from it, never from the
# Host header a request happened to arrive with (a proxy's internal name, a bare IP behind the balancer).
SITE_URL = env_site_url("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# Content-Security-Policy (django-csp 4), enforced on every response. No nonce: pages are cached for anonymous
# readers and a nonce in cached HTML would be shared, so the public site has no inline script, style attribute or
# event handler at all (tests/portal/core/test_csp.py renders the pages to check). portal.core.csp adds
# reCAPTCHA's script-src and frame-src (its only frame) per request from RECAPTCHA_DOMAIN, and gives the admin
# its own policy. CSP_REPORT_ONLY=True sends both as Content-Security-Policy-Report-Only, for rolling out.
CONTENT_SECURITY_POLICY_PUBLIC = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Wagtail's admin (and the page previews it frames) writes inline <script> and style="…" and shows images from
# blob:/data: URLs; it is staff-only behind a login, so it gets 'unsafe-inline' for scripts and styles, blob: and
# data: images and fonts, may frame itself, ask releases.wagtail.org for the upgrade notice and show staff avatars
# from Gravatar (Wagtail's default; WAGTAIL_GRAVATAR_PROVIDER_URL = None would turn that off).
# www.gravatar.com is written without a scheme so that it follows the page's, as Wagtail's //www.gravatar.com does.
CONTENT_SECURITY_POLICY_ADMIN = {
    "PATH_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY_PUBLIC["DIRECTIVES"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "www.gravatar.com"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'", "https://releases.wagtail.org"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}
if env.bool("CSP_REPORT_ONLY", default=False):
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = None, CONTENT_SECURITY_POLICY_PUBLIC
else:
    CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_REPORT_ONLY = CONTENT_SECURITY_POLICY_PUBLIC, None

# Background work (search indexing): immediate by default; production runs a worker
# (`manage.py db_worker`) with the database backend.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend")}}

# Search: Elasticsearch when ELASTICSEARCH_URL is set, else the database engine with the same analysis.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
SEARCH_TIMEOUT = env.float("SEARCH_TIMEOUT", default=0.8)
SEARCH_INDEX_TIMEOUT = env.float("SEARCH_INDEX_TIMEOUT", default=30)
SEARCH_INDEX_PREFIX = env.str("SEARCH_INDEX_PREFIX", default="portal-dev")
# Processes that analyse text during a full rebuild (rebuild_search_index); 1 analyses in-process.
SEARCH_INDEX_WORKERS = env.int("SEARCH_INDEX_WORKERS", default=os.cpu_count() or 1)
# A change Elasticsearch did not take is retried after this many seconds, doubling each time up to the maximum
# (search/outbox.py; `manage.py drain_search_outbox`).
SEARCH_OUTBOX_RETRY = env.int("SEARCH_OUTBOX_RETRY", default=30)
SEARCH_OUTBOX_RETRY_MAX = env.int("SEARCH_OUTBOX_RETRY_MAX", default=3600)

# Feedback: reCAPTCHA through django-recaptcha. No keys (as in `make run`) means no widget; v2 checkbox by
# default, RECAPTCHA_VERSION=v3 for the invisible score. RECAPTCHA_DOMAIN=www.recaptcha.net serves
# regions where google.com is blocked. The form only requires the widget's token; the token is
# verified by a background task after the submission is saved (participation/captcha.py), so the
# timeout (whole seconds: django-recaptcha accepts only an int) holds a worker, never a citizen.
RECAPTCHA_PUBLIC_KEY = env.str("RECAPTCHA_PUBLIC_KEY", default="")
RECAPTCHA_PRIVATE_KEY = env.str("RECAPTCHA_PRIVATE_KEY", default="")
RECAPTCHA_VERSION = env.str("RECAPTCHA_VERSION", default="v2")
RECAPTCHA_REQUIRED_SCORE = env.float("RECAPTCHA_REQUIRED_SCORE", default=0.5)
RECAPTCHA_DOMAIN = env.str("RECAPTCHA_DOMAIN", default="www.google.com")
# Whole seconds: django-recaptcha refuses to start with anything but an int here.
RECAPTCHA_VERIFY_REQUEST_TIMEOUT = env.int("RECAPTCHA_VERIFY_REQUEST_TIMEOUT", default=3)
PARTICIPATION_ANSWER_WORKING_DAYS = env.int("PARTICIPATION_ANSWER_WORKING_DAYS", default=15)


def env_dates(name: str) -> list[datetime.date]:
    """Comma-separated ISO dates, parsed here so that a mistyped one stops the start, not a submission."""
    try:
        return [datetime.date.fromisoformat(value) for value in env.list(name, default=[])]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: every entry must be a date such as 2025-10-01 ({error})") from error


# Answer deadlines follow China's official calendar (chinesecalendar, with its 调休); these override it.
PARTICIPATION_HOLIDAYS = env_dates("PARTICIPATION_HOLIDAYS")
PARTICIPATION_WORKDAYS = env_dates("PARTICIPATION_WORKDAYS")
PARTICIPATION_STAFF_EMAILS = env.list("PARTICIPATION_STAFF_EMAILS", default=[])
PARTICIPATION_RATE_PER_MINUTE = env.int("PARTICIPATION_RATE_PER_MINUTE", default=5)
PARTICIPATION_RATE_PER_DAY = env.int("PARTICIPATION_RATE_PER_DAY", default=50)
# Every POST to a citizens' form, valid or not: a higher bound against scripted floods.
PARTICIPATION_POST_RATE_PER_MINUTE = env.int("PARTICIPATION_POST_RATE_PER_MINUTE", default=30)
# Satisfaction: one rating per browser, domain and quarter. The per-address bound only stops stuffing
# from one machine: a village service centre or a carrier's shared address holds many residents.
SATISFACTION_MAX_PER_ADDRESS = env.int("SATISFACTION_MAX_PER_ADDRESS", default=300)
# An average is published only from this many ratings; fewer show "评价人数不足".
SATISFACTION_MIN_RATINGS = env.int("SATISFACTION_MIN_RATINGS", default=5)
# How many proxies of ours stand before the site, each appending to X-Forwarded-For; 0 = REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Sample measurements exist only so charts can be seen in development; production never loads them.
PORTAL_ALLOW_SAMPLE_DATA = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "portal": {"level": env.str("PORTAL_LOG_LEVEL", default="INFO")},
        # Both log every background task and page action at INFO: too loud for the console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Staff accounts (portal/accounts/): whoever can enter /admin/ confirms a second factor after the password,
# and repeated wrong passwords lock a username at one address. One block, so the order the libraries need
# stays visible: OTPMiddleware right after authentication, then our requirement, axes' middleware last.
INSTALLED_APPS += [
    "portal.accounts",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE[_auth + 1 : _auth + 1] = [
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.middleware.RequireMFAMiddleware",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
# Axes refuses a locked-out login before any password is checked; ModelBackend then logs staff in.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Only dev.py names accounts here (the ones create_dev_admin makes); production and tests exempt nobody.
PORTAL_MFA_EXEMPT_USERNAMES: list[str] = []
PORTAL_MFA_RECOVERY_CODES = 10
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# Username and address together: a wrong guess from elsewhere cannot lock a colleague out of the office.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same address rule as the citizens' limits (behind a trusted proxy, the forwarded client).
AXES_CLIENT_IP_CALLABLE = "portal.participation.ratelimit.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# Following (portal/follow/): confirmation mails per address and follow requests per network address, a day.
FOLLOW_MAX_PER_ADDRESS = env.int("FOLLOW_MAX_PER_ADDRESS", default=5)
FOLLOW_MAX_PER_IP = env.int("FOLLOW_MAX_PER_IP", default=30)
# The hour (0–23, TIME_ZONE) from which `manage.py send_digests --every` sends the day's digests.
DIGEST_HOUR = env.int("DIGEST_HOUR", default=8)
