"""Satisfaction: 1–5 per domain, once per quarter per browser; verified by reCAPTCHA after saving;
a generous bound per address; an average only from enough ratings."""

import pytest

from django.test import Client

from portal.participation.models import EvaluationReport, SatisfactionRating
from portal.plan.models import DomainPage

pytestmark = pytest.mark.django_db


def rate(client, domain, score, comment="", token="token"):
    data = {"domain": domain.pk, "score": score, "comment": comment, "g-recaptcha-response": token}
    return client.post("/feedback/satisfaction/", data)


def test_rating_is_saved_once_per_quarter_and_verified(client, google, settings, django_capture_on_commit_callbacks):
    settings.SATISFACTION_MIN_RATINGS = 1
    education = DomainPage.objects.get(slug="education")
    google.action = "satisfaction"
    with django_capture_on_commit_callbacks(execute=True):
        response = rate(client, education, 4, "<b>幼儿园</b>离家太远")
    assert "感谢您的评价" in response.content.decode()
    rating = SatisfactionRating.objects.get()
    assert rating.score == 4 and rating.comment == "幼儿园离家太远" and rating.verification == "passed"
    again = rate(client, education, 1)
    assert "已评价过" in again.content.decode() and SatisfactionRating.objects.count() == 1
    html = client.get("/feedback/satisfaction/").content.decode()
    assert "公共教育" in html and "4.00" in html


def test_unverified_ratings_are_not_counted(client, google, settings, django_capture_on_commit_callbacks):
    settings.SATISFACTION_MIN_RATINGS = 1
    google.mode = google.FAIL
    with django_capture_on_commit_callbacks(execute=True):
        rate(client, DomainPage.objects.get(slug="education"), 1)
    assert SatisfactionRating.objects.get().verification == "failed"
    assert "1.00" not in client.get("/feedback/satisfaction/").content.decode()


def test_widget_and_missing_token(client):
    html = client.get("/feedback/satisfaction/").content.decode()
    assert 'class="g-recaptcha"' in html and "recaptcha/api.js" in html
    response = rate(client, DomainPage.objects.get(slug="education"), 5, token="")
    assert "请先完成人机验证" in response.content.decode() and not SatisfactionRating.objects.exists()


def test_bad_scores_get_clear_errors(client):
    education = DomainPage.objects.get(slug="education")
    for score in ("", "0", "6", "abc"):
        response = rate(client, education, score)
        assert "请选择 1 到 5 分" in response.content.decode()
    assert not SatisfactionRating.objects.exists()


def test_a_village_behind_one_address_is_not_locked_out(settings):
    settings.SATISFACTION_MAX_PER_ADDRESS = 30
    settings.PARTICIPATION_POST_RATE_PER_MINUTE = 100
    education = DomainPage.objects.get(slug="education")
    outcomes = [rate(Client(REMOTE_ADDR="203.0.113.5"), education, 5).content.decode() for _ in range(31)]
    assert SatisfactionRating.objects.count() == 30  # thirty neighbours, each with their own browser
    assert "已达上限" in outcomes[-1]


def test_average_only_from_enough_ratings(settings):
    settings.SATISFACTION_MIN_RATINGS = 3
    settings.RECAPTCHA_PUBLIC_KEY = settings.RECAPTCHA_PRIVATE_KEY = ""  # counted at once
    health = DomainPage.objects.get(slug="health")
    for score in (5, 4):
        rate(Client(), health, score)
    html = Client().get("/feedback/satisfaction/").content.decode()
    assert "评价人数不足" in html and "4.50" not in html
    rate(Client(), health, 3)
    html = Client().get("/feedback/satisfaction/").content.decode()
    assert "4.00" in html and "评价人数不足" not in html


def test_reports_are_listed(client):
    EvaluationReport.objects.create(title="2015年度第三方评估报告", organization="某大学公共管理学院", period="2015年")
    assert "2015年度第三方评估报告" in client.get("/feedback/satisfaction/").content.decode()
