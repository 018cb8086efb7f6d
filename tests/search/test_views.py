"""The search page and its JSON, on both engines: results, facets, highlights, paging, zero results."""

import json

import pytest

from search.models import QueryLog, Synonym

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "elasticsearch"])
def engine(request):
    request.getfixturevalue("database_search" if request.param == "database" else "elasticsearch")
    return request.param


def search_json(client, **params):
    response = client.get("/search/", {**params, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_json_contract(client, engine):
    data = search_json(client, q="入园率")
    assert data["engine"] == engine
    assert data["total"] >= 1
    first = data["results"][0]
    assert set(first) >= {"title", "url", "type", "domain", "snippet", "date"}
    assert (
        first["url"] == "/education/task-1/edu-01/" and first["domain"] == "公共教育" and first["type"] == "indicator"
    )
    assert "<mark>入园率</mark>" in first["snippet"]
    assert {"kind", "domain", "year"} <= set(data["facets"])


@pytest.mark.parametrize(
    ("query", "domain"),
    [("入园率", "公共教育"), ("社保卡", "生活保障"), ("jiaoyu", "公共教育"), ("醫療保險", "医疗保障")],
)
def test_the_issue_examples_bring_the_right_domain_first(client, engine, query, domain):
    assert search_json(client, q=query)["results"][0]["domain"] == domain


def test_facets_filter_and_paging(client, engine):
    everything = search_json(client, q="残疾人")
    assert everything["total"] > 10 and everything["pages"] >= 2
    kinds = {item["value"]: item["count"] for item in everything["facets"]["kind"]}
    only = search_json(client, q="残疾人", type="indicator")
    assert only["total"] == kinds["indicator"]
    assert {r["type"] for r in only["results"]} == {"indicator"}
    second = search_json(client, q="残疾人", page=2)
    assert {r["url"] for r in second["results"]}.isdisjoint({r["url"] for r in everything["results"]})
    in_domain = search_json(client, q="残疾人", domain="就业保障")
    assert in_domain["results"] and {r["domain"] for r in in_domain["results"]} == {"就业保障"}


def test_date_order(client, engine):
    results = search_json(client, q="教育", sort="date")["results"]
    dates = [r["date"] for r in results if r["date"]]
    assert dates == sorted(dates, reverse=True)


def test_html_page_has_results_facets_and_highlight(client, engine):
    html = client.get("/search/", {"q": "入园率"}).content.decode()
    assert "学前三年毛入园率" in html and "<mark>入园率</mark>" in html
    assert 'class="facets"' in html and "量化指标" in html


def test_zero_results_page_helps(client, engine):
    QueryLog.objects.create(query="医保", normalized="医保", results=5, took_ms=3, engine="database")
    html = client.get("/search/", {"q": "火星殖民"}).content.decode()
    assert "没有找到" in html and "大家常搜" in html and "向我们提问" in html and "/feedback/" in html


def test_wrong_character_is_tolerated(client, engine):
    data = search_json(client, q="入圆率")
    assert data["corrected_from"] == "入圆率" and "入园率" in data["suggestions"]
    assert data["results"][0]["url"] == "/education/task-1/edu-01/"
    html = client.get("/search/", {"q": "入圆率"}).content.decode()
    assert "已为您显示“入园率”的结果" in html
    assert "“入园率”共" in html  # the heading names the word whose results are shown
    assert "?q=%E5%85%A5%E5%9C%86%E7%8E%87&amp;nc=1" in html  # 仍然搜索 what was typed


def test_what_was_typed_when_asked(client, engine):
    data = search_json(client, q="入圆率", nc="1")
    assert data["corrected_from"] == ""
    html = client.get("/search/", {"q": "入圆率", "nc": "1"}).content.decode()
    assert "已为您显示" not in html and "入圆率" in html


def test_correction_of_a_question_keeps_its_words(client, engine):
    data = search_json(client, q="请问入圆率是多少")
    assert data["corrected_from"] == "请问入圆率是多少" and data["suggestions"] == ["请问入园率是多少"]
    assert data["results"][0]["domain"] == "公共教育"


def test_the_empty_domain_bucket_is_not_a_facet(client, engine):
    data = search_json(client, q="民主决策")
    assert all(item["value"] for item in data["facets"]["domain"])


def test_hostile_and_odd_input_never_breaks(client, engine):
    for q in ["<script>alert(1)</script>", "' OR 1=1 --", "{{ 7*7 }}", "a" * 5000, "🙂" * 50, "\u200b入园率", "%00"]:
        response = client.get("/search/", {"q": q, "page": "x", "year": "abc", "type": "nope"})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_searches_are_logged_without_personal_data(client, engine):
    client.get("/search/", {"q": "低保"}, REMOTE_ADDR="203.0.113.9")
    entry = QueryLog.objects.latest("created_at")
    assert entry.query == "低保" and entry.results > 0
    assert "203.0.113.9" not in str(entry.__dict__)


def test_staff_synonym_takes_effect_at_once(client, engine):
    assert search_json(client, q="阿福卡")["total"] == 0
    Synonym.objects.create(term="阿福卡", expansions="社会保障卡")
    assert search_json(client, q="阿福卡")["results"][0]["domain"] == "生活保障"


def test_autocomplete(client, engine):
    data = json.loads(client.get("/search/suggest/", {"q": "入园"}).content)
    labels = [s["label"] for s in data["suggestions"]]
    assert "学前三年毛入园率" in labels
    traditional = json.loads(client.get("/search/suggest/", {"q": "醫療"}).content)["suggestions"]
    assert any("医疗" in s["label"] for s in traditional)
    assert len(labels) == len(set(labels))  # distinct


@pytest.mark.parametrize(("prefix", "word"), [("jiao", "教育"), ("shebao", "社保"), ("yiliao", "医疗")])
def test_autocomplete_from_pinyin_prefixes(client, engine, prefix, word):
    labels = [s["label"] for s in json.loads(client.get("/search/suggest/", {"q": prefix}).content)["suggestions"]]
    assert word in labels


def test_a_result_showing_a_sample_value_is_labelled(client, engine):
    from portal.plan.models import IndicatorPage

    data = search_json(client, q="入园率")
    sample = next(r for r in data["results"] if r["url"] == "/education/task-1/edu-01/")
    assert "最新值" in sample["snippet"] and sample["is_sample"] is True
    unmeasured = {i.url for i in IndicatorPage.objects.filter(reading__count=0)} | {
        i.url for i in IndicatorPage.objects.filter(reading__isnull=True)
    }
    assert all(not r["is_sample"] for r in data["results"] if r["url"] in unmeasured or r["type"] == "task")
    html = client.get("/search/", {"q": "入园率"}).content.decode()
    hit = html[html.index('href="/education/task-1/edu-01/"') :]
    hit = hit[: hit.index("</li>")]
    assert '<span class="badge badge-sample"' in hit and "示例数据" in hit
