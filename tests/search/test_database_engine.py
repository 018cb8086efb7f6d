"""The database engine (search/fallback.py) answers from an index: exact totals, facets, filters and
orders against a brute-force count, a constant number of statements whatever the size, the index kept
in step with every write, on PostgreSQL here and on a real SQLite database in a subprocess."""

import datetime
import json
import math
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from django.core.checks import run_checks
from django.db import NotSupportedError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import fallback, indexing
from search.concepts import WEIGHTS
from search.models import IndexEntry
from search.queries import PortalSearch, SearchParams
from search.records import SearchRecord

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL index")
ROOT = Path(__file__).resolve().parents[2]

WORD, BIGRAM = WEIGHTS["word"], WEIGHTS["bigram"]
# Concepts as the query side will send them: alternatives per concept, each (term, title w, body w).
QUERIES = {
    "one common word": [[("教育", *WORD)]],
    "two concepts": [[("残疾人", *WORD), ("残疾", *BIGRAM)], [("就业", *WORD)]],
    "pinyin": [[("jiaoyu", *WORD), ("py:jiaoyu", *WEIGHTS["pinyin"])]],
    "flat terms": [[("养老", *WORD)], [("保险", *WORD)], [("老保", *BIGRAM)]],
}


def domain_sentences() -> dict[str, list[str]]:
    """Each domain's own sentences, from its tasks in the loaded plan."""
    sentences: dict[str, list[str]] = {}
    for entry in IndexEntry.objects.filter(kind="task").exclude(domain=""):
        for sentence in entry.body.replace("。", "。\n").splitlines():
            if len(sentence) >= 8:
                sentences.setdefault(entry.domain, []).append(sentence)
    return sentences


def add_records(count: int, seed: int = 7) -> None:
    """`count` updates and answers through the indexer, each with one domain and that domain's text."""
    rnd = random.Random(seed)
    texts = domain_sentences()
    domains = sorted(texts)
    start = timezone.make_aware(datetime.datetime(2014, 1, 1, 9, 0))
    records = []
    for n in range(count):
        domain = domains[n % len(domains)]
        picked = rnd.sample(texts[domain], min(3, len(texts[domain])))
        records.append(
            SearchRecord(
                doc_id=f"test:{n}",
                kind=("update", "answer", "consultation")[n % 3],
                title=picked[0][:30],
                url=f"/test/{n}/",
                body="".join(picked[1:]),
                domain=domain,
                date=start + datetime.timedelta(hours=61 * n + rnd.randrange(60)),  # distinct, 2014 to 2016
            )
        )
    indexing.write_database(records)


def brute_force(groups, filters=None):
    """Every row's relevance by the documented formula, read from the term columns: {id: relevance}."""
    rows = list(IndexEntry.objects.all())
    terms = {row.id: (set(row.title_terms.split()), set(row.body_terms.split())) for row in rows}
    documents = len(rows)

    def idf(term):
        df = sum(1 for title, body in terms.values() if term in title or term in body)
        return math.log(1 + documents / (1 + df))

    idfs = {term: idf(term) for group in groups for term, _, _ in group}
    relevance = {}
    for row in rows:
        title, body = terms[row.id]
        score, matched = 0.0, 0
        for group in groups:
            best = max(((term in title) * tw + (term in body) * bw) * idfs[term] for term, tw, bw in group)
            if best > 0:
                score += best
                matched += 1
        if score <= 0:
            continue
        if any(value and str(getattr(row, name)) != str(value) for name, value in (filters or {}).items()):
            continue
        score *= 1 + fallback.COVERAGE_BONUS * (matched / len(groups)) ** fallback.COVERAGE_POWER
        length = len(row.title_terms.split())
        relevance[row.id] = score * row.boost / (1 + length / fallback.TITLE_LENGTH_NORM)
    return relevance


def facets_of(ids):
    rows = IndexEntry.objects.filter(id__in=ids)
    return {
        "kind": Counter(r.kind for r in rows),
        "domain": Counter(r.domain for r in rows if r.domain),
        "year": Counter(r.year for r in rows if r.year),
    }


def assert_ranked(entries, relevance, limit):
    """The page holds the best rows, best first (rows closer than the engine's score resolution,
    a millionth, may come in either order)."""
    got = [e.id for e in entries]
    assert len(got) == min(limit, len(relevance))
    tolerance = 2 / fallback.SCORE_SCALE
    for better, worse in zip(got, got[1:], strict=False):
        assert relevance[better] >= relevance[worse] - tolerance
    rest = [score for pk, score in relevance.items() if pk not in got]
    if rest:
        assert min(relevance[pk] for pk in got) >= max(rest) - tolerance


@pytest.fixture
def more_rows(database_search):
    add_records(300)


@pytest.mark.parametrize("name", QUERIES)
def test_totals_facets_and_ranking_match_a_brute_force_count(more_rows, name):
    groups = QUERIES[name]
    relevance = brute_force(groups)
    assert len(relevance) > 20, "the query should match many rows"
    result = fallback.search(groups, {}, limit=10)
    assert result.total == len(relevance)
    assert result.facets == facets_of(relevance)
    assert_ranked(result.entries, relevance, 10)


@pytest.mark.parametrize(
    "filters", [{"kind": "update"}, {"domain": "公共教育"}, {"year": 2015}, {"kind": "answer", "year": 2014}]
)
def test_filtered_totals_are_exact_and_facets_ignore_the_filters(more_rows, filters):
    groups = QUERIES["one common word"]
    everything = brute_force(groups)
    relevance = brute_force(groups, filters)
    assert relevance
    result = fallback.search(groups, {"kind": "", "domain": "", "year": None, **filters}, limit=20)
    assert result.total == len(relevance)
    assert result.facets == facets_of(everything)  # as Elasticsearch's post_filter: facets before filters
    assert all(str(getattr(e, name)) == str(value) for e in result.entries for name, value in filters.items())
    assert_ranked(result.entries, relevance, 20)


def test_pages_follow_each_other_to_the_last_match(more_rows):
    groups = QUERIES["two concepts"]
    total = len(brute_force(groups))
    seen = []
    for offset in range(0, total + 10, 10):
        seen += [e.id for e in fallback.search(groups, {}, offset=offset, limit=10).entries]
    assert len(seen) == len(set(seen)) == total


def test_date_sort_is_newest_first_among_all_matches(more_rows):
    groups = QUERIES["one common word"]
    relevance = brute_force(groups)
    newest = sorted(IndexEntry.objects.filter(id__in=relevance, date__isnull=False), key=lambda e: e.date, reverse=True)
    result = fallback.search(groups, {}, sort="date", limit=15)
    assert result.total == len(relevance)
    assert [e.id for e in result.entries] == [e.id for e in newest[:15]]
    filtered = fallback.search(groups, {"kind": "update"}, sort="date", limit=5)
    assert [e.id for e in filtered.entries] == [e.id for e in newest if e.kind == "update"][:5]


def test_a_concept_held_whole_outranks_one_held_in_part(database_search):
    indexing.write_database(
        [
            SearchRecord(doc_id="test:both", kind="update", title="进展通报", url="/t/1/", body="残疾人 就业 培训"),
            SearchRecord(doc_id="test:one", kind="update", title="进展通报", url="/t/2/", body="残疾人 残疾人 康复"),
        ]
    )
    result = fallback.search(QUERIES["two concepts"], {}, limit=400)
    order = [e.doc_id for e in result.entries]
    assert order.index("test:both") < order.index("test:one")


@pytest.mark.parametrize("extra", [0, 600])
def test_statements_per_search_do_not_grow_with_the_data(database_search, django_assert_max_num_queries, extra):
    add_records(extra)
    for groups in QUERIES.values():
        with django_assert_max_num_queries(3):
            result = fallback.search(groups, {"domain": "生活保障"}, sort="relevance", offset=10, limit=10)
        assert sum(result.facets["kind"].values()) > 10
    PortalSearch(SearchParams(q="城乡居民养老保险")).execute()  # synonyms cached
    # The engine's three, and one for which hits show sample data (示例数据): none grows with the data.
    with django_assert_max_num_queries(4):
        assert PortalSearch(SearchParams(q="城乡居民养老保险每个月发多少钱", sort="date")).execute().total


@postgresql
def test_postgresql_index_is_a_gin_indexed_vector_of_whole_terms(database_search):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_generated FROM information_schema.columns "
            "WHERE table_name = 'search_indexentry' AND column_name IN ('title_vector', 'body_vector')"
        )
        assert sorted(cursor.fetchall()) == [
            ("body_vector", "tsvector", "ALWAYS"),
            ("title_vector", "tsvector", "ALWAYS"),
        ]
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'search_indexentry'")
        indexes = dict(cursor.fetchall())
        for column in ("title_vector", "body_vector"):
            definition = indexes[f"search_indexentry_{column}"]
            assert "USING gin" in definition and f"({column})" in definition

        def count(lexeme):
            cursor.execute("SELECT COUNT(*) FROM search_indexentry WHERE body_vector @@ %s::tsquery", [lexeme])
            return cursor.fetchone()[0]

        # Whole terms only: the colon and the decimal point are part of the lexeme, never split off.
        assert count("'py:jiaoyu'") > 0 and count("'py:jiaoyux'") == 0 and count("'jiaoyu'") == 0
        assert count("'入园率'") > 0 and count("'入园率达'") == 0
        assert count("'76.8'") > 0 and count("'76'") == 0


@postgresql
def test_postgresql_looks_terms_up_in_the_gin_indexes(database_search):
    """However common a term, its rows come from the index, never from a scan that opens every vector."""
    add_records(300)
    with CaptureQueriesContext(connection) as queries:
        fallback.search([[("服务", 1.0, 1.0)], [("建设", 1.0, 1.0)]], {})
    assert "search_indexentry_postings(" in queries.captured_queries[0]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig, prosrc FROM pg_proc WHERE proname = 'search_indexentry_postings'")
        ((config, source),) = cursor.fetchall()
        assert config == ["enable_seqscan=off"]
        cursor.execute("SET LOCAL enable_seqscan = off")  # as inside the function (the test's transaction ends)
        cursor.execute("EXPLAIN " + source.replace("unnest(terms)", "unnest(ARRAY['服务', '建设']::tsquery[])"))
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on search_indexentry_title_vector" in plan
    assert "Bitmap Index Scan on search_indexentry_body_vector" in plan
    assert "Filter: (e.title_vector @@" not in plan and "Filter: (e.body_vector @@" not in plan


def test_updates_and_deletes_reach_the_index(database_search):
    def found(term):
        return {e.doc_id for e in fallback.search([[(term, 1.0, 1.0)]], {}, limit=50).entries}

    record = SearchRecord(doc_id="test:sync", kind="update", title="蜂鸟观测站", url="/t/sync/", body="萤火虫保护")
    indexing.write([record])
    assert found("蜂鸟") == found("萤火虫") == {"test:sync"}
    indexing.write([SearchRecord(doc_id="test:sync", kind="update", title="候鸟迁徙", url="/t/sync/", body="")])
    assert not found("蜂鸟") and not found("萤火虫") and found("候鸟") == {"test:sync"}
    indexing.remove(["test:sync"])
    assert not found("候鸟")


def test_other_databases_are_refused_clearly(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "mysql")
    (error,) = run_checks(tags=["search"])
    assert error.id == "search.E001" and "mysql" in error.msg
    with pytest.raises(NotSupportedError, match="PostgreSQL or SQLite"):
        fallback.search(QUERIES["one common word"], {})


SQLITE_SCRIPT = """
import json, django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
call_command("load_plan", verbosity=0)
call_command("rebuild_search_index", "--no-progress", verbosity=0)
from search import fallback, indexing
from search.queries import PortalSearch, SearchParams
from search.records import SearchRecord

def search(q, **filters):
    r = PortalSearch(SearchParams(q=q, **filters)).execute()
    return {"engine": r.engine, "total": r.total, "urls": [h.url for h in r.hits], "facets": r.facets}

def found(term):
    return [e.doc_id for e in fallback.search([[(term, 1.0, 1.0)]], {}, limit=5).entries]

out = {"vendor": connection.vendor, "plan_word": search("入园率"), "pinyin": search("jiaoyu"),
       "filtered": search("残疾人", kind="indicator"),
       "lexemes": {t: found(t) for t in ["py:jiaoyu", "py:jiaoyux", "76.8", "76"]}}
indexing.write([SearchRecord(doc_id="t:1", kind="update", title="蜂鸟观测站", url="/t/1/", body="萤火虫保护")])
out["written"] = [found("蜂鸟"), found("萤火虫")]
indexing.write([SearchRecord(doc_id="t:1", kind="update", title="候鸟迁徙", url="/t/1/", body="")])
out["updated"] = [found("蜂鸟"), found("候鸟")]
indexing.remove(["t:1"])
out["removed"] = found("候鸟")
with connection.cursor() as cursor:  # the FTS5 index agrees with the table it indexes
    cursor.execute("INSERT INTO search_indexentry_fts (search_indexentry_fts, rank) VALUES ('integrity-check', 1)")
print("RESULT " + json.dumps(out, ensure_ascii=False))
"""


def test_sqlite_engine_for_real(tmp_path):
    """make run's database: a fresh SQLite file migrated, the plan loaded and indexed, then searched."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "ELASTICSEARCH_URL": "",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    out = json.loads(line.removeprefix("RESULT "))
    assert out["vendor"] == "sqlite"
    assert out["plan_word"]["engine"] == "database" and out["plan_word"]["total"] >= 2
    assert out["plan_word"]["urls"][0].endswith("/edu-01/")
    assert out["pinyin"]["total"] > 5 and out["pinyin"]["urls"][0] == "/education/"
    assert out["filtered"]["total"] == dict((v, c) for v, _, c in out["filtered"]["facets"]["kind"])["indicator"]
    assert out["lexemes"]["py:jiaoyu"] and out["lexemes"]["76.8"]
    assert not out["lexemes"]["py:jiaoyux"] and not out["lexemes"]["76"]
    assert out["written"] == [["t:1"], ["t:1"]] and out["updated"] == [[], ["t:1"]] and out["removed"] == []
