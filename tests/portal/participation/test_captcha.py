"""reCAPTCHA on every form that has it, and Google's verdict as the verification task reads it."""

import pytest

from django.core.management import call_command

from portal.participation import captcha
from portal.participation.models import Submission
from portal.plan.models import DomainPage, TaskPage
from tests.factories.participation import open_consultation

pytestmark = pytest.mark.django_db

WIDGET = 'class="g-recaptcha"'


def test_full_form_renders_the_widget_and_its_script(client):
    html = client.get("/feedback/").content.decode()
    assert WIDGET in html and "recaptcha/api.js" in html and "人机验证" in html


@pytest.mark.parametrize("kind", ["domain", "task"])
def test_embedded_forms_render_the_widget(client, kind):
    domain = DomainPage.objects.get(slug="education")
    page = domain if kind == "domain" else TaskPage.objects.child_of(domain).live().first()
    html = client.get(page.url).content.decode()
    assert WIDGET in html and 'action="/feedback/"' in html


def test_consultation_form_renders_the_widget(client):
    page = open_consultation()
    html = client.get(page.url).content.decode()
    assert WIDGET in html


def test_no_inline_script_from_the_widget(client):
    """The widget's script is loaded from Google's domain; nothing inline, so a strict CSP can hold."""
    html = client.get("/feedback/").content.decode()
    assert "<script>" not in html and "onSubmit_" not in html.split("data-callback")[0]


def test_v3_renders_an_action_and_checks_it(client, settings, google):
    settings.RECAPTCHA_VERSION = "v3"
    html = client.get("/feedback/").content.decode()
    assert 'data-action="feedback"' in html and "render=" in html
    google.action = "feedback"
    assert captcha.check(token="t", ip="192.0.2.1", action="feedback").status == "passed"
    google.action = "login"
    assert captcha.check(token="t", ip="192.0.2.1", action="feedback").status == "failed"
    google.action, google.score = "feedback", 0.1
    outcome = captcha.check(token="t", ip="192.0.2.1", action="feedback")
    assert outcome.status == "failed" and "评分过低" in outcome.reason


def test_recaptcha_domain_is_kept(client, settings):
    settings.RECAPTCHA_DOMAIN = "www.recaptcha.net"
    assert "https://www.recaptcha.net/recaptcha/api.js" in client.get("/feedback/").content.decode()


def test_verification_runs_once(google, django_capture_on_commit_callbacks):
    from portal.participation import services

    with django_capture_on_commit_callbacks(execute=True):
        submission, code = services.submission_create(
            data={"kind": "opinion", "title": "标题", "content": "内容足够长的一条建议内容。"},
            ip="192.0.2.9",
            captcha_token="tok",
        )
    assert services.verify_submission.call(submission.pk, "tok", "192.0.2.9", code) == "skipped"
    assert len(google.calls) == 1 and google.calls[0]["remoteip"] == "192.0.2.9"
    assert Submission.objects.get(pk=submission.pk).verification == "passed"


def test_deploy_check_refuses_a_per_process_cache(settings):
    from django.core.management.base import SystemCheckError

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with pytest.raises(SystemCheckError, match="participation.E001"):
        call_command("check", "--deploy", "--tag", "caches")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    call_command("check", "--deploy", "--tag", "caches")  # no error
