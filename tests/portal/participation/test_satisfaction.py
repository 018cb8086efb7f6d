"""Satisfaction: 1–5 per domain, once per quarter per browser, a few per address; results public."""

import pytest

from django.test import Client

from portal.participation.models import EvaluationReport, SatisfactionRating
from portal.plan.models import DomainPage

pytestmark = pytest.mark.django_db


def rate(client, domain, score, comment=""):
    return client.post("/feedback/satisfaction/", {"domain": domain.pk, "score": score, "comment": comment})


def test_rating_is_saved_once_per_quarter_and_shown(client):
    education = DomainPage.objects.get(slug="education")
    response = rate(client, education, 4, "<b>幼儿园</b>离家太远")
    assert "感谢您的评价" in response.content.decode()
    rating = SatisfactionRating.objects.get()
    assert rating.score == 4 and rating.comment == "幼儿园离家太远"
    again = rate(client, education, 1)
    assert "已评价过" in again.content.decode() and SatisfactionRating.objects.count() == 1
    html = client.get("/feedback/satisfaction/").content.decode()
    assert "公共教育" in html and "4.00" in html


def test_bad_scores_get_clear_errors(client):
    education = DomainPage.objects.get(slug="education")
    for score in ("", "0", "6", "abc"):
        response = rate(client, education, score)
        assert "请选择 1 到 5 分" in response.content.decode()
    assert not SatisfactionRating.objects.exists()


def test_one_address_has_a_limit(settings):
    education = DomainPage.objects.get(slug="education")
    outcomes = [rate(Client(REMOTE_ADDR="203.0.113.5"), education, 5).content.decode() for _ in range(6)]
    assert SatisfactionRating.objects.count() == 5
    assert "已达上限" in outcomes[-1]


def test_reports_are_listed(client):
    EvaluationReport.objects.create(title="2015年度第三方评估报告", organization="某大学公共管理学院", period="2015年")
    assert "2015年度第三方评估报告" in client.get("/feedback/satisfaction/").content.decode()
