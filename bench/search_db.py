"""The database search engine at 10,000 demo updates, on PostgreSQL and on SQLite (bench/search.sh, or alone).

    python bench/search_db.py [--updates 10000] [--rounds 5] [--pg URL] [--sqlite PATH] [--json FILE]
    python bench/search_db.py --only sqlite

For each database, in a process of its own (Django binds one database per process) with development
settings and ELASTICSEARCH_URL empty, so that every search is answered by search/fallback.py:

1. `migrate`; `load_plan --sample` when the plan is not there yet; `load_demo_corpus --updates N
   --no-index` unless the database holds exactly N demo updates already (with `--delete` first
   when it holds more): real progress-update pages, each in one domain and quoting that domain's
   plan text, the same text for the same number on every run;
2. unless the index table already holds exactly the database's records (the same document ids as
   `records.all_records()` would give: then it is reused as it is), `rebuild_search_index` (with
   ELASTICSEARCH_URL empty it rewrites the table only, which maintains the GIN indexes or the FTS5
   table); its time and the analysis inside it are reported. On PostgreSQL the table is then
   vacuumed and analysed, as autovacuum would do within a minute of a rebuild;
3. QUERIES (plan words, residents' words and long questions, pinyin, initials, single common
   characters, traditional characters, numbers, a typo, filters, date sort, page 2) through
   `PortalSearch(...).execute()`, as the search view calls it (analysis, engine, snippets, the
   did-you-mean retry): one untimed round, then `--rounds` timed rounds; p50, p95 (nearest rank)
   and max per search, and the SQL statements each search ran (counted with a connection wrapper).

PostgreSQL: --pg (default: DATABASE_URL's server, database portal_bench_dbsearch, created when
missing; search.sh gives its own database, which already holds the demo updates and the table its
timed rebuild wrote). SQLite: --sqlite (default /tmp/portal-bench-dbsearch.sqlite3), a file kept
between runs: the first run loads the plan and the demo updates and builds the table (a few
minutes), later ones reuse them.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from latency import percentile  # noqa: E402

DEFAULT_UPDATES = 10_000
DEFAULT_ROUNDS = 5
DEFAULT_PG_DB = "portal_bench_dbsearch"
DEFAULT_SQLITE = "/tmp/portal-bench-dbsearch.sqlite3"

# (query string as the search page takes it, group). ~40 searches residents make.
QUERIES = [
    ("q=入园率", "plan word"),
    ("q=义务教育", "plan word"),
    ("q=空气质量", "plan word"),
    ("q=公租房", "plan word"),
    ("q=食品安全", "plan word"),
    ("q=最低生活保障", "plan word"),
    ("q=图书馆", "plan word"),
    ("q=农村公路", "plan word"),
    ("q=健康档案", "plan word"),
    ("q=污水处理", "plan word"),
    ("q=就业", "plan word"),
    ("q=养老", "plan word"),
    ("q=社保卡", "resident word"),
    ("q=幼儿园", "resident word"),
    ("q=低保", "resident word"),
    ("q=残疾人", "resident word"),
    ("q=看病", "resident word"),
    ("q=我家孩子明年上幼儿园怎么报名", "long question"),
    ("q=农村老人看病住院能报销多少", "long question"),
    ("q=失业了去哪里领失业保险金", "long question"),
    ("q=城乡居民养老保险每个月发多少钱", "long question"),
    ("q=公交车什么时候通到我们村里", "long question"),
    ("q=怎样申请廉租房和公共租赁住房", "long question"),
    ("q=jiaoyu", "pinyin"),
    ("q=shebao", "pinyin"),
    ("q=yi liao", "pinyin"),
    ("q=jy", "pinyin"),
    # A lone character finds what the analysis indexed as a lone character (next to nothing here).
    ("q=学", "single character"),
    ("q=医", "single character"),
    ("q=水", "single character"),
    ("q=路", "single character"),
    ("q=醫療保險", "traditional"),
    ("q=義務教育", "traditional"),
    ("q=公共衛生服務", "traditional"),
    ("q=76.8", "number"),  # 人均期望寿命达到76.8岁: a decimal kept whole
    ("q=入圆率", "typo"),  # nothing found, then the did-you-mean retry: two searches
    ("q=入园率&type=indicator", "filtered"),
    ("q=就业&domain=就业保障", "filtered"),
    ("q=养老&type=update&year=2015", "filtered"),
    ("q=教育&sort=date", "filtered"),
    ("q=医疗&sort=date&domain=医疗保障", "filtered"),
    ("q=就业&page=2", "filtered"),
]


# -- the corpus: the plan and the demo updates --------------------------------------------------


def quiet_command(*args) -> str:
    """A management command with its output kept (returned), not printed."""
    from django.core.management import call_command

    out = io.StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def expected_doc_ids() -> set[str]:
    """The document ids `records.all_records()` gives, without loading and rendering every page."""
    from search import records

    ids = set()
    for model in records.searchable_page_models():
        ids.update(records.page_doc_id(page) for page in model.objects.live().public().only("pk"))
    for record in (*records.department_records(), *records.document_records(), *records.answer_records()):
        ids.add(record.doc_id)
    return ids


def ensure_corpus(updates: int) -> dict:
    """The plan with its sample data, `updates` demo updates, and an index table holding their records."""
    from django.db import connection

    from portal.plan.models import DomainPage
    from portal.updates import services
    from search import indexing
    from search.models import IndexEntry

    corpus = {}
    started = time.perf_counter()
    quiet_command("migrate", "--noinput")
    if not DomainPage.objects.exists():
        print("  loading the plan (load_plan --sample)", flush=True)
        step = time.perf_counter()
        quiet_command("load_plan", "--sample")
        corpus["load_plan_s"] = time.perf_counter() - step
    held = services.demo_updates().count()
    if held != updates:
        print(f"  {held} demo updates held: load_demo_corpus --updates {updates} --no-index", flush=True)
        step = time.perf_counter()
        quiet_command("load_demo_corpus", "--updates", str(updates), "--no-index", *(["--delete"] * (held > updates)))
        corpus["load_demo_corpus_s"] = time.perf_counter() - step
    corpus["demo_updates"] = services.demo_updates().count()
    if corpus["demo_updates"] != updates:
        raise SystemExit(f"search_db.py: {corpus['demo_updates']} demo updates after load_demo_corpus, not {updates}")

    corpus["reused"] = set(IndexEntry.objects.values_list("doc_id", flat=True)) == expected_doc_ids()
    if not corpus["reused"]:
        print("  rebuild_search_index (the database table)", flush=True)
        analysis = [0.0]
        original = indexing.analyse

        def timed_analyse(*args, **kwargs):
            step = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                analysis[0] += time.perf_counter() - step

        step = time.perf_counter()
        with mock.patch.object(indexing, "analyse", timed_analyse):
            quiet_command("rebuild_search_index", "--no-progress")
        corpus["rebuild_s"] = time.perf_counter() - step
        corpus["analyse_s"] = analysis[0]
    if connection.vendor == "postgresql":
        # What autovacuum does within a minute of a rebuild: the deleted rows' space and fresh statistics.
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_indexentry")
        corpus["vacuum_s"] = time.perf_counter() - step
    corpus["records"] = IndexEntry.objects.count()
    corpus["by_kind"] = dict(Counter(IndexEntry.objects.values_list("kind", flat=True)).most_common())
    corpus["setup_s"] = time.perf_counter() - started
    return corpus


def measure(rounds: int) -> dict:
    from django.db import connection
    from django.http import QueryDict

    from search import chinese, fallback
    from search.queries import PortalSearch, SearchParams

    chinese.warm_up()
    engine_ms = []
    original = fallback.search

    engine_sql = set()  # statements per call of the engine (a did-you-mean request calls it twice)

    def timed_search(*args, **kwargs):
        started, before = time.perf_counter(), statements[0]
        try:
            return original(*args, **kwargs)
        finally:
            engine_ms[-1] += (time.perf_counter() - started) * 1000
            engine_sql.add(statements[0] - before)

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    params = [(query, group, SearchParams.from_querydict(QueryDict(query))) for query, group in QUERIES]
    found, times, sql_counts = {}, {query: [] for query, _, _ in params}, {query: set() for query, _, _ in params}
    fallback.search = timed_search
    try:
        with connection.execute_wrapper(count):
            for round_ in range(rounds + 1):  # the first round is not timed
                for query, _, search_params in params:
                    engine_ms.append(0.0)
                    statements[0] = 0
                    started = time.perf_counter()
                    response = PortalSearch(search_params).execute()
                    elapsed = (time.perf_counter() - started) * 1000
                    if response.engine != "database":
                        raise SystemExit(f"search_db.py: {query} was answered by {response.engine}")
                    if round_:
                        times[query].append((elapsed, engine_ms[-1]))
                        sql_counts[query].add(statements[0])
                    else:
                        found[query] = {"total": response.total, "corrected_from": response.corrected_from}
    finally:
        fallback.search = original

    def summary(pairs):
        totals = [total for total, _ in pairs]
        engines = [engine for _, engine in pairs]
        return {
            "searches": len(totals),
            "p50_ms": statistics.median(totals),
            "p95_ms": percentile(totals, 95),
            "max_ms": max(totals),
            "engine_p50_ms": statistics.median(engines),
            "engine_p95_ms": percentile(engines, 95),
        }

    groups = {}
    for query, group, _ in params:
        groups.setdefault(group, []).extend(times[query])
    every = [pair for values in times.values() for pair in values]
    return {
        "rounds": rounds,
        "queries": len(params),
        "all": summary(every),
        "groups": {group: summary(pairs) for group, pairs in groups.items()},
        "per_query": {
            query: {**summary(times[query]), **found[query], "sql": sorted(sql_counts[query])} for query, _, _ in params
        },
        "sql_per_search": sorted({n for counts in sql_counts.values() for n in counts}),
        "sql_per_engine_call": sorted(engine_sql),
    }


def worker(args) -> None:
    """One database: set up (or reuse) the corpus, then measure; figures as JSON to --out."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    corpus = ensure_corpus(args.updates)
    state = "reused" if corpus["reused"] else f"rebuilt in {corpus['rebuild_s']:.1f} s"
    print(f"  {corpus['records']} records, index table {state}; measuring {args.rounds} rounds", flush=True)
    figures = {"vendor": connection.vendor, "corpus": corpus, **measure(args.rounds)}
    Path(args.out).write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def _pg_database(url: str) -> None:
    """Create the database of a postgres:// URL when it does not exist."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run(label: str, database_url: str, args) -> dict:
    out = Path(f"/tmp/search_db-{os.getpid()}-{label}.json")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "ELASTICSEARCH_URL": "",
    }
    command = [sys.executable, __file__, "--worker", "--updates", str(args.updates)]
    command += ["--rounds", str(args.rounds), "--out", str(out)]
    print(f"{label}: {database_url}", flush=True)
    subprocess.run(command, env=env, check=True, cwd=ROOT)
    try:
        return json.loads(out.read_text(encoding="utf-8"))
    finally:
        out.unlink()


def report(results: dict) -> None:
    first = next(iter(results.values()))
    print(
        f"\ndatabase engine, in-process PortalSearch(...).execute(): {first['queries']} queries x {first['rounds']} "
        f"rounds after one untimed round"
    )
    for label, f in results.items():
        corpus = f["corpus"]
        kinds = ", ".join(f"{kind} {n}" for kind, n in corpus["by_kind"].items())
        print(f"{label}: {corpus['records']} documents ({kinds}; {corpus['demo_updates']} demo updates)")
    print("SQL: statements per search, and at most per engine call (a did-you-mean search calls the engine twice)")
    print(f"{'':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'engine p95':>11} {'SQL':>11}  index table")
    for label, f in results.items():
        a, corpus = f["all"], f["corpus"]
        rewrite = (
            "reused"
            if corpus["reused"]
            else f"rebuilt {corpus['rebuild_s']:.1f} s (analysis {corpus['analyse_s']:.1f} s)"
        )
        sql = f"{min(f['sql_per_search'])}-{max(f['sql_per_search'])} (<={max(f['sql_per_engine_call'])})"
        print(
            f"{label:<28} {a['p50_ms']:>8.1f} {a['p95_ms']:>8.1f} {a['max_ms']:>8.1f} {a['engine_p95_ms']:>11.1f} "
            f"{sql:>11}  {rewrite}"
        )
        for group, g in f["groups"].items():
            cells = f"{g['p50_ms']:>8.1f} {g['p95_ms']:>8.1f} {g['max_ms']:>8.1f} {g['engine_p95_ms']:>11.1f}"
            print(f"  {group:<26} {cells}")
    print("\nper query (p50 ms, total found, SQL statements):")
    for query in first["per_query"]:
        cells = [
            f"{label} {f['per_query'][query]['p50_ms']:6.1f} ms {f['per_query'][query]['total']:>5} "
            f"sql {','.join(map(str, f['per_query'][query]['sql']))}"
            for label, f in results.items()
        ]
        print(f"  {query:<40} " + " | ".join(cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=DEFAULT_UPDATES, help="demo updates (10000)")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="timed rounds of the query mix (5)")
    parser.add_argument("--pg", help=f"postgres:// URL (default: DATABASE_URL's server, database {DEFAULT_PG_DB})")
    parser.add_argument("--sqlite", default=DEFAULT_SQLITE, help=f"SQLite file ({DEFAULT_SQLITE})")
    parser.add_argument("--only", choices=["postgresql", "sqlite"])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    results = {}
    if args.only != "sqlite":
        pg = args.pg
        if not pg:
            server = os.environ.get("DATABASE_URL", "")
            if not server.startswith("postgres"):
                sys.exit("search_db.py: give --pg postgres://… (or a postgres DATABASE_URL for its server)")
            pg = urlunsplit(urlsplit(server)._replace(path=f"/{DEFAULT_PG_DB}"))
        _pg_database(pg)
        results["PostgreSQL"] = run("PostgreSQL", pg, args)
    if args.only != "postgresql":
        results["SQLite"] = run("SQLite", f"sqlite:///{Path(args.sqlite).resolve()}", args)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
