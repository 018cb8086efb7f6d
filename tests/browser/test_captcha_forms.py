"""reCAPTCHA as a citizen meets it, with Google's test keys set (as in production): every form shows
the widget, a submission reaches its receipt, and verification runs afterwards in a db_worker, as
production runs it. Google's verification is the fake HTTPS server of tests/fake_google.py answering
pass, fail, or never; during the hanging case the home page still answers at once."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from django.db import connection

from portal.participation.models import Submission
from tests.factories.participation import open_consultation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
VERIFY_TIMEOUT = 4  # seconds the worker waits for a hanging Google


@pytest.fixture
def worker_tasks(settings):
    """Tasks go to the database queue, as in production; `run_worker` drains it in a real db_worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(google) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "RECAPTCHA_DOMAIN": google.domain,
        "RECAPTCHA_VERIFY_REQUEST_TIMEOUT": str(VERIFY_TIMEOUT),
        "SSL_CERT_FILE": google.ca_file,
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def fill_and_submit(page, form: str, title: str):
    if page.locator(f"{form} input[name=kind]").count() > 1:
        page.check(f"{form} input[name=kind][value=report]")
    page.fill(f"{form} input[name=title]", title)
    page.fill(f"{form} textarea[name=content]", "村口公交站的候车亭顶棚破损,下雨天无处避雨,请尽快维修。")
    page.fill(f"{form} input[name=contact_email]", "villager@example.com")
    page.check(f"{form} .g-recaptcha input[type=checkbox]")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url("**/feedback/thanks/")
    return page.locator(".receipt .number").inner_text()


def test_full_form_verified_after_saving(site, browser, recaptcha_in_browser, google, worker_tasks):
    """One browser, three submissions, each verified by a db_worker: Google passes, fails, then hangs.

    (One test rather than three: each transactional browser test reloads the whole plan.)"""
    page = recaptcha_in_browser(browser.new_context(locale="zh-CN")).new_page()
    page.goto(site.url + "/feedback/")
    assert page.locator("form.feedback-form .g-recaptcha").count() == 1

    # Without ticking the box: a plain-Chinese error beside the widget, and nothing typed is lost.
    page.fill("input[name=title]", "公交站候车亭破损")
    page.click("form.feedback-form button[type=submit]")
    assert "请先完成人机验证" in page.locator(".captcha-field").inner_text()
    assert page.input_value("input[name=title]") == "公交站候车亭破损"
    assert not Submission.objects.exists()

    for answer, expected in (("pass", "passed"), ("fail", "failed"), ("hang", "unreachable")):
        google.reset()
        google.mode = answer
        page.goto(site.url + "/feedback/")
        number = fill_and_submit(page, "form.feedback-form", f"公交站候车亭破损({answer})")
        submission = Submission.objects.get(number=number)
        assert submission.verification == "pending" and submission.quarantined  # saved first, verified later
        assert not google.calls

        worker = run_worker(google)
        if answer == "hang":
            deadline = time.monotonic() + 30
            while not google.calls and time.monotonic() < deadline:
                time.sleep(0.05)
            assert google.calls, "the worker never asked Google"
            started = time.monotonic()
            with urllib.request.urlopen(site.url + "/", timeout=VERIFY_TIMEOUT) as response:
                assert response.status == 200
            # The site answers while a worker waits on Google: well inside the verification timeout.
            assert time.monotonic() - started < VERIFY_TIMEOUT / 2
            assert worker.poll() is None, "the home page was answered only after the worker gave up"
        output = worker.communicate(timeout=60)[0].decode()
        assert worker.returncode == 0, output
        submission.refresh_from_db()
        assert submission.verification == expected, output
        assert submission.quarantined == (answer != "pass") and not submission.is_public


def test_embedded_and_consultation_forms(site, browser, recaptcha_in_browser):
    """Verified at once here (the immediate task backend, as `make run` has)."""
    page = recaptcha_in_browser(browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")).new_page()
    page.goto(site.url + "/education/")
    page.click("#feedback summary")
    assert page.locator("#feedback .g-recaptcha").count() == 1
    number = fill_and_submit(page, "#feedback form", "幼儿园门口交通拥堵")
    submission = Submission.objects.get(number=number)
    assert submission.domain.slug == "education" and submission.verification == "passed"

    consultation = open_consultation()
    page.goto(site.url + consultation.url)
    assert page.locator("form.feedback-form .g-recaptcha").count() == 1
    number = fill_and_submit(page, "form.feedback-form", "建议选址在新区中心")
    submission = Submission.objects.get(number=number)
    assert submission.consultation_id == consultation.pk and submission.verification == "passed"
