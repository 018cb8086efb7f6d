"""Control characters leave request input before anything reads it; ids in links never raise."""

import json

import pytest

from django.http import QueryDict

from portal.core.inputs import id_param, without_controls
from portal.plan.models import DomainPage, TaskPage
from search.models import QueryLog

NUL_QUERIES = [
    "/search/?q=社保%00卡",
    "/search/?q=%00&format=json",
    "/search/?q=教育&domain=%00&year=%00&page=%00&type=%00",
    "/search/suggest/?q=社%00保",
    "/feedback/?domain=education%00",
    "/feedback/?task=1%00&consultation=%00",
    "/feedback/satisfaction/?domain=%00",
    "/feedback/answers/?page=%00",
    "/open-data/measurements.csv?indicator=%00",
    "/?q=%00%01%1b",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", NUL_QUERIES)
def test_nul_and_control_characters_in_a_query_never_give_a_server_error(client, url):
    assert client.get(url).status_code < 500


@pytest.mark.django_db
def test_a_query_means_what_it_means_without_its_control_characters(client, database_search):
    clean = json.loads(client.get("/search/", {"q": "社保卡", "format": "json"}).content)
    dirty = json.loads(client.get("/search/", {"q": "社\x00保\x1b卡", "format": "json"}).content)
    assert dirty["total"] == clean["total"] >= 1
    assert QueryLog.objects.filter(query="社保卡").count() == 2  # logged as meant, not refused by PostgreSQL
    suggestions = json.loads(client.get("/search/suggest/", {"q": "社\x00保"}).content)["suggestions"]
    assert suggestions == json.loads(client.get("/search/suggest/", {"q": "社保"}).content)["suggestions"]


@pytest.mark.django_db
def test_links_preselect_their_domain_and_task_despite_control_characters(client):
    task = TaskPage.objects.live().first()
    response = client.get("/feedback/", {"domain": "\x00education\x07", "task": f"{task.pk}\x00"})
    form = response.context["form"]
    assert form.initial["domain"] == DomainPage.objects.get(slug="education").pk
    assert form.initial["task"] == task.pk


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "１２", "9" * 19, "9" * 5000, "-1", "1.0", " 1"], ids=lambda v: ascii(v[:20]))
def test_ids_that_are_not_ids_are_ignored(client, value):
    response = client.get("/feedback/", {"task": value, "consultation": value})
    assert response.status_code == 200
    assert "task" not in response.context["form"].initial


def test_id_param():
    assert id_param("12") == 12
    assert id_param("9" * 18) == int("9" * 18)
    for value in (None, "", "²", "١٢", "１２", "9" * 19, "9" * 5000, "-1", "+1", "1e3", "0x1", " 1", "1\n"):
        assert id_param(value) is None, repr(value)


def test_without_controls_on_a_query_dict():
    query = QueryDict("q=%E7%A4%BE%00%E4%BF%9D&q=a%09b%0A&k%01=1&empty=")
    cleaned = without_controls(query)
    assert cleaned.getlist("q") == ["社保", "a\tb\n"]  # several values, tab and newline kept
    assert cleaned["k"] == "1" and cleaned["empty"] == ""
    with pytest.raises(AttributeError):  # immutable, as request.GET is
        cleaned["q"] = "x"
    untouched = QueryDict("q=%E7%A4%BE%E4%BF%9D&page=2")
    assert without_controls(untouched) is untouched


def test_without_controls_on_a_dict():
    assert without_controls({"comment": "好\x00评", "score": 5}) == {"comment": "好评", "score": 5}
    data = {"comment": "好评"}
    assert without_controls(data) is data
