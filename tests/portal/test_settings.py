"""Production settings refuse to start without their secrets, with a per-process cache or a malformed calendar
date; every documented variable starts the site."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# Everything else a production start needs, for the tests that vary one thing.
STARTS = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "SITE_URL": "https://example.org",
}


def test_production_refuses_to_start_without_site_url():
    result = run_check({k: v for k, v in STARTS.items() if k != "SITE_URL"})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


@pytest.mark.parametrize("site_url", ["gxfw.example.gov.cn", "https://gxfw.example.gov.cn/portal", "https://:443"])
def test_production_refuses_a_site_url_that_is_not_an_address(site_url):
    result = run_check({**STARTS, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL: expected an address" in result.stderr


@pytest.mark.parametrize("key", ["", "   "])
def test_production_refuses_an_empty_secret_key_like_a_missing_one(key):
    result = run_check({**STARTS, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is empty" in result.stderr


def test_production_starts_with_its_environment():
    result = run_check(STARTS)  # CACHE_URL among them: the limits need a shared cache (participation.E001)
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_per_process_cache():
    result = run_check({k: v for k, v in STARTS.items() if k != "CACHE_URL"})
    assert result.returncode != 0 and "participation.E001" in result.stderr


# Every variable in the README's configuration table, set to a valid value that is not its default. A variable
# documented there but missing here fails the test: a documented setting is one that has been started with.
# PORT, PG_*, ES_*, REDIS_* and RUN_PROD_* are read by the Makefile and scripts/, not by the site; they must not
# disturb it either.
def configuration(tmp_path, database_url: str) -> dict:
    return {
        "SECRET_KEY": "settings-test-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver,gxfw.example.gov.cn",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "0",
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "PAGE_CACHE_SECONDS": "120",
        "FRAGMENT_CACHE_SECONDS": "600",
        "FRONTEND_CACHE_PURGE_URL": "http://varnish.internal:6081",
        "EMAIL_URL": "smtp+tls://portal:secret@mail.example.gov.cn:587",
        "DEFAULT_FROM_EMAIL": "portal@example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://gxfw.example.gov.cn,https://www.example.gov.cn",
        "SECURE_SSL_REDIRECT": "False",
        "SECURE_COOKIES": "False",
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "True",
        "SECURE_HSTS_PRELOAD": "True",
        "SITE_URL": "https://gxfw.example.gov.cn",
        # Read only by portal.settings.local_prod: production and dev must ignore it.
        "PORTAL_LOCAL_HTTP": "1",
        "CSP_REPORT_ONLY": "True",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WAGTAILADMIN_BASE_URL": "https://gxfw.example.gov.cn",
        "LOG_LEVEL": "ERROR",
        "PORTAL_LOG_LEVEL": "WARNING",
        "ELASTICSEARCH_URL": os.environ.get("ELASTICSEARCH_URL") or "http://127.0.0.1:9200",
        "SEARCH_TIMEOUT": "1.5",
        "SEARCH_INDEX_TIMEOUT": "60",
        "SEARCH_INDEX_PREFIX": "portal-settings-test",
        "SEARCH_INDEX_WORKERS": "2",
        "SEARCH_OUTBOX_RETRY": "10",
        "SEARCH_OUTBOX_RETRY_MAX": "600",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "RECAPTCHA_PUBLIC_KEY": "6Lc-settings-test-public-key",
        "RECAPTCHA_PRIVATE_KEY": "6Lc-settings-test-private-key",
        "RECAPTCHA_VERSION": "v3",
        "RECAPTCHA_REQUIRED_SCORE": "0.7",
        "RECAPTCHA_DOMAIN": "www.recaptcha.net",
        "RECAPTCHA_VERIFY_REQUEST_TIMEOUT": "5",
        "PARTICIPATION_ANSWER_WORKING_DAYS": "10",
        "PARTICIPATION_HOLIDAYS": "2015-10-01,2015-10-02",
        "PARTICIPATION_WORKDAYS": "2015-10-10",
        "PARTICIPATION_STAFF_EMAILS": "office@example.gov.cn,chief@example.gov.cn",
        "PARTICIPATION_RATE_PER_MINUTE": "3",
        "PARTICIPATION_RATE_PER_DAY": "20",
        "FOLLOW_MAX_PER_ADDRESS": "4",
        "FOLLOW_MAX_PER_IP": "25",
        "DIGEST_HOUR": "7",
        "PARTICIPATION_POST_RATE_PER_MINUTE": "12",
        "SATISFACTION_MAX_PER_ADDRESS": "40",
        "SATISFACTION_MIN_RATINGS": "3",
        "TRUSTED_PROXY_COUNT": "1",
        "AXES_FAILURE_LIMIT": "5",
        "AXES_COOLOFF_MINUTES": "15",
        "PORT": "8080",
        "PG_PORT": "54330",
        "PG_CLUSTER_DIR": str(tmp_path / "pg"),
        "ES_PORT": "9201",
        "ES_VERSION": "8.18.6",
        "REDIS_PORT": "6390",
        "REDIS_DIR": str(tmp_path / "redis"),
        "RUN_PROD_PG_PORT": "54370",
        "RUN_PROD_ES_PORT": "9230",
        "RUN_PROD_REDIS_PORT": "6391",
        "RUN_PROD_DIR": str(tmp_path / "run-prod"),
    }


# Starts the site as a server process would, checks it, and serves pages through Django's test client.
# Production's static files need `collectstatic` (a release step), so there only pages without templates.
SERVE = """
import sys

import django
from django.core.management import call_command
from django.test import Client

django.setup()
call_command("check", deploy=sys.argv[1] == "production")
for path in sys.argv[2:]:
    response = Client().get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    print(path, response.status_code, response.get("Strict-Transport-Security", ""))
    csp = response.has_header("Content-Security-Policy"), response.has_header("Content-Security-Policy-Report-Only")
    print(path, "CSP", *csp)
"""
PAGES = {
    "portal.settings.dev": ["/", "/feedback/"],
    "portal.settings.production": ["/open-data/indicators.json", "/feeds/updates/"],
}


def documented_variables() -> set[str]:
    """The names in the first column of the README's configuration table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("|")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def test_the_readme_documents_the_configuration_table_this_test_reads():
    assert {
        "SECRET_KEY",
        "DATABASE_URL",
        "RECAPTCHA_VERIFY_REQUEST_TIMEOUT",
        "SECURE_COOKIES",
    } <= documented_variables()


def session_database_url() -> str:
    """The session's test database (migrated, the plan loaded) as a DATABASE_URL for a subprocess."""
    from django.db import connection

    db = connection.settings_dict
    database_url = f"postgres://{quote(db['USER'] or '', safe='')}:{quote(db['PASSWORD'] or '', safe='')}@"
    return database_url + f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db  # the subprocess reads the session's test database: migrated, the plan loaded
@pytest.mark.parametrize("settings_module", PAGES)
def test_every_documented_variable_set_starts_the_site_and_serves_pages(settings_module, tmp_path):
    values = configuration(tmp_path, session_database_url())
    documented = documented_variables()
    assert not documented - set(values), "README documents variables this test does not set: add a value for each"
    assert not set(values) - documented, "this test sets variables the README no longer documents"

    env = {k: v for k, v in os.environ.items() if k not in documented and k != "DJANGO_SETTINGS_MODULE"}
    env.update(values, DJANGO_SETTINGS_MODULE=settings_module)
    result = subprocess.run(
        [sys.executable, "-c", SERVE, settings_module.rsplit(".", 1)[1], *PAGES[settings_module]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert all(f"{path} 200" in result.stdout for path in PAGES[settings_module])
    if settings_module.endswith("production"):
        # SECURE_HSTS_* reached the response
        assert "max-age=3600; includeSubDomains; preload" in result.stdout
    assert all(f"{path} CSP False True" in result.stdout for path in PAGES[settings_module])  # CSP_REPORT_ONLY


def test_a_mistyped_calendar_date_stops_the_start_and_names_the_setting():
    result = run_check({**STARTS, "PARTICIPATION_WORKDAYS": "2027-01-02,2027-02-30"})
    assert result.returncode != 0
    assert "PARTICIPATION_WORKDAYS" in result.stderr


# Production's defaults, as a browser over HTTPS meets them: a redirect that sets a cookie (no template, so no
# collectstatic needed).
HEADERS = """
import django
from django.conf import settings
from django.test import Client

django.setup()
response = Client().get("/text-size/?size=large", secure=True)
cookie = response.cookies["text_size"]
print("status", response.status_code)
print("hsts", response["Strict-Transport-Security"])
print("policy", response["Permissions-Policy"])
print("text_size secure", bool(cookie["secure"]))
flags = settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.LANGUAGE_COOKIE_SECURE
print("session csrf language", *flags)
"""


@pytest.mark.django_db
def test_production_defaults_send_hsts_a_permissions_policy_and_only_secure_cookies():
    env = {k: v for k, v in os.environ.items() if k not in documented_variables() and k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=session_database_url(),
        SITE_URL="https://testserver",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
    )
    result = subprocess.run(
        [sys.executable, "-c", HEADERS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "status 302" in lines
    assert "hsts max-age=31536000" in lines  # a year; subdomains and preload only when asked for
    assert any(line.startswith("policy ") and "camera=()" in line and "microphone=()" in line for line in lines)
    assert "text_size secure True" in lines
    assert "session csrf language True True True" in lines
