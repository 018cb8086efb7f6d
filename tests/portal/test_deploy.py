"""`make run-prod`'s environment (scripts/run-prod.sh env): clean under `check --deploy` once HTTPS is on as in a
real deployment; its local-only HTTP switch refuses anything but loopback; its services keep off the test ports."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "gxfw.example.gov.cn"


def run_prod_env() -> dict:
    output = subprocess.run(
        ["bash", "scripts/run-prod.sh", "env"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split("=", 1) for line in output.splitlines())


def manage(env: dict, *args) -> subprocess.CompletedProcess:
    # Only what the site is given: nothing from the test session's environment (DATABASE_URL, …) leaks in.
    clean = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"), "LANG": "C.UTF-8", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_run_prod_environment_passes_check_deploy_with_https_on():
    env = run_prod_env()
    del env["PORTAL_LOCAL_HTTP"]
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", ALLOWED_HOSTS=PUBLIC, SITE_URL=f"https://{PUBLIC}")
    assert env["CACHE_URL"].startswith("redis://") and int(env["SECURE_HSTS_SECONDS"]) > 0
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout


def test_run_prod_environment_is_local_http_on_its_own_ports():
    env = run_prod_env()
    assert env["DJANGO_SETTINGS_MODULE"] == "portal.settings.local_prod" and env["PORTAL_LOCAL_HTTP"] == "1"
    assert urlsplit(env["SITE_URL"]).hostname == "127.0.0.1"
    ports = {urlsplit(env[name]).port for name in ("DATABASE_URL", "ELASTICSEARCH_URL", "CACHE_URL")}
    assert ports == {54369, 9229, 6389}  # not make test's 54329 and 9200, nor a system Redis's 6379


def test_local_http_serves_plain_http_without_hsts():
    env = run_prod_env()
    # The test database stands in for run-prod's; a process-local cache stands in for its Redis.
    env.update(DATABASE_URL=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:54329/portal"))
    env.update(CACHE_URL="locmemcache://", ELASTICSEARCH_URL="")
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_HSTS_SECONDS, settings.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PATH": os.environ["PATH"], **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0", "False"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"PORTAL_LOCAL_HTTP": None}, "PORTAL_LOCAL_HTTP=1"),
        ({"PORTAL_LOCAL_HTTP": "0"}, "PORTAL_LOCAL_HTTP=1"),
        ({"ALLOWED_HOSTS": f"127.0.0.1,{PUBLIC}"}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"SITE_URL": f"http://{PUBLIC}"}, "SITE_URL"),
    ],
)
def test_the_local_http_switch_refuses_anything_but_loopback(change, named):
    env = run_prod_env()
    for name, value in change.items():
        if value is None:
            del env[name]
        else:
            env[name] = value
    result = manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and named in result.stderr
