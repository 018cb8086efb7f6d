"""Open data downloads and Atom feeds, parsed as their consumers would."""

import csv
import io
import json

import feedparser
import pytest

from portal.plan.models import DomainPage, IndicatorPage, Measurement
from portal.updates.models import UpdateIndexPage, UpdatePage

pytestmark = pytest.mark.django_db


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_indicators_json_holds_every_target_with_context(client):
    response = client.get("/open-data/indicators.json")
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == IndicatorPage.objects.live().count() == len(data["indicators"])
    assert data["document_number"] == "台府〔2014〕32号"
    by_code = {item["code"]: item for item in data["indicators"]}
    preschool = by_code["edu-01"]
    assert preschool["domain"] == "公共教育" and preschool["target"] == 96 and preschool["comparator"] == ">="
    assert preschool["lead_department"] == "市教育局"
    assert preschool["task_number"] == 1 and preschool["target_year"] == 2015
    life = next(i for i in data["indicators"] if "期望寿命" in i["name"])
    assert life["target"] == 76.8
    funding = next(i for i in data["indicators"] if i["mechanism"])
    assert funding["domain"] is None and funding["lead_department"]
    for item in data["indicators"]:
        assert item["status"] in {"met", "on_track", "behind", "no_data"}
        assert (item["latest_value"] is None) == (item["status"] == "no_data")


def test_indicators_csv_matches_json(client):
    rows = read_csv(client.get("/open-data/indicators.csv"))
    data = json.loads(client.get("/open-data/indicators.json").content)
    assert [r["code"] for r in rows] == [i["code"] for i in data["indicators"]]
    assert rows[0]["name"] and rows[0]["unit"] is not None


def test_measurements_csv_has_every_published_measurement(client):
    rows = read_csv(client.get("/open-data/measurements.csv"))
    assert len(rows) == Measurement.objects.filter(live=True).count()
    assert {"indicator_code", "date", "value", "is_sample"} <= set(rows[0])
    one = read_csv(client.get("/open-data/measurements.csv", {"indicator": "edu-01"}))
    assert one and {r["indicator_code"] for r in one} == {"edu-01"}
    assert client.get("/open-data/measurements.csv", {"indicator": "<script>"}).status_code == 400


def test_drafts_are_not_open_data(client):
    indicator = IndicatorPage.objects.get(code="edu-02")
    Measurement.objects.create(indicator=indicator, date="2015-03-31", value=99, source="草稿", live=False)
    rows = read_csv(client.get("/open-data/measurements.csv", {"indicator": "edu-02"}))
    assert "草稿" not in {r["source"] for r in rows}


@pytest.fixture
def update():
    index = UpdateIndexPage.objects.get()
    page = UpdatePage(title="公共教育一季度进展", slug="edu-q1", summary="学前教育资助全面落实。")
    index.add_child(instance=page)
    page.domains.add(DomainPage.objects.get(slug="education"))
    page.save_revision().publish()
    return page


def test_site_feed_parses_and_lists_updates(client, update):
    feed = feedparser.parse(client.get("/feeds/updates/").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.entries[0].title == "公共教育一季度进展"  # newest first
    assert feed.entries[0].summary == "学前教育资助全面落实。"
    assert len(feed.entries) == UpdatePage.objects.live().count()


def test_domain_feed_only_has_that_domain(client, update):
    education = feedparser.parse(client.get("/feeds/domains/education/").content)
    housing = feedparser.parse(client.get("/feeds/domains/housing/").content)
    assert education.entries[0].title == "公共教育一季度进展"
    assert len(education.entries) == UpdatePage.objects.live().filter(domains__slug="education").count()
    assert housing.entries == [] and not housing.bozo
    assert client.get("/feeds/domains/nowhere/").status_code == 404
