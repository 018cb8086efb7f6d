"""Production settings refuse to start without their secrets or with a malformed calendar date."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_check({"ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_its_environment():
    result = run_check(
        {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
    )
    assert result.returncode == 0, result.stderr


def test_a_mistyped_calendar_date_stops_the_start_and_names_the_setting():
    environment = {"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", "DATABASE_URL": "sqlite:////tmp/x.sqlite3"}
    result = run_check({**environment, "PARTICIPATION_WORKDAYS": "2027-01-02,2027-02-30"})
    assert result.returncode != 0
    assert "PARTICIPATION_WORKDAYS" in result.stderr
