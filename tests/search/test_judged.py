"""The judged-set harness itself: the format is checked, and a hit counts only in the right domain with a phrase
in its title or its snippet as a resident reads it (tags stripped, entities unescaped)."""

import pytest

from django.utils.safestring import mark_safe

from search.queries import Hit

from .judged import DEV, HELDOUT, HELDOUT_2, Evaluation, JudgedQuery, JudgedSetError, Outcome, load, report


def hit(title="", domain="住房保障", snippet=""):
    return Hit(title=title, url="/x/", kind="task", domain=domain, snippet=mark_safe(snippet), date=None)


HOUSING = JudgedQuery("everyday", "请问公租房怎么申请", ("住房保障",), ("公共租赁住房", "公租房"))


def test_the_dev_set_follows_the_format():
    queries = load(DEV)
    assert len(queries) >= 120
    assert {q.category for q in queries} >= {"exact", "pinyin", "traditional", "wrong_character"}
    assert all(q.domains and q.phrases for q in queries)
    assert ("",) in {q.domains for q in queries}  # mechanisms and the document have no domain


def test_the_second_heldout_set_shares_no_query_with_the_others():
    """The first held-out set shares 74 short queries (社保局, 医保 …) with the development set, written alike
    by different people, so those were tuned through their twins; the second must share none."""
    queries = load(HELDOUT_2)
    assert len(queries) >= 70
    assert all(q.domains and q.phrases for q in queries)
    seen = {q.q for q in load(DEV)} | {q.q for q in load(HELDOUT)}
    assert not seen & {q.q for q in queries}


@pytest.mark.parametrize(
    "text, message",
    [
        ("- q: 公租房", "expected categories"),
        ("everyday: []", "expected a list of queries"),
        ("everyday:\n  - q: 公租房\n    domain: [住房保障]\n", "exactly q, domain and phrases"),
        ("everyday:\n  - q: 公租房\n    domain: 住房保障\n    phrases: [公租房]\n", "domain must be a list"),
        ("everyday:\n  - q: 公租房\n    domain: [住房保障]\n    phrases: ['']\n", "phrases must be"),
    ],
)
def test_a_malformed_set_is_refused_with_the_entry_named(tmp_path, text, message):
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(JudgedSetError, match=message):
        load(path)


def test_a_hit_counts_in_the_right_domain_with_a_phrase_in_its_title_or_snippet():
    assert HOUSING.accepts(hit(title="公租房分配工作推进会"))
    assert HOUSING.accepts(hit(snippet="全面推行以<mark>公租</mark>房为主要保障方式"))  # highlighting split it
    quoted = JudgedQuery("exact", "以案说法", ("公共安全",), ("“以案说法”平台",))
    assert quoted.accepts(hit(domain="公共安全", snippet="基层&ldquo;<mark>以案说法</mark>&rdquo;平台建设"))
    assert not HOUSING.accepts(hit(title="公租房", domain="生活保障"))
    assert not HOUSING.accepts(hit(title="廉租房"))
    no_domain = JudgedQuery("exact", "民主决策", ("",), ("民主决策机制",))
    assert no_domain.accepts(hit(title="民主决策机制", domain=""))
    assert not no_domain.accepts(hit(title="民主决策机制", domain="公共教育"))


def test_the_report_gives_the_figures_by_category_and_every_miss_with_its_top_three():
    outcomes = [
        Outcome(HOUSING, [hit(title="公租房")]),
        Outcome(HOUSING, [hit(title="廉租房"), hit(title="棚户区"), hit(title="危房"), hit(title="公租房")]),
        Outcome(JudgedQuery("pinyin", "gongzufang", ("住房保障",), ("公租房",)), []),
    ]
    assert [o.rank for o in outcomes] == [1, 4, None]
    text = report("dev", "database", Evaluation(1 / 3, 1 / 3, (1 + 1 / 4) / 3, outcomes))
    assert "[dev · database] 3 judged queries: success@1 = 0.3333 (1/3), success@3 = 0.3333 (1/3), MRR = 0.4167" in text
    assert "success@3 by category: everyday 0.50, pinyin 0.00" in text
    assert "miss (everyday) '请问公租房怎么申请': rank 4" in text and "3. 危房 [住房保障]" in text
    assert "miss (pinyin) 'gongzufang': rank >10" in text and "(no results)" in text
