"""The database search engine at 10,000 documents, on PostgreSQL and on SQLite (bench/search.sh, or alone).

    python bench/search_db.py [--docs 10000] [--rounds 5] [--pg URL] [--sqlite PATH] [--json FILE]
    python bench/search_db.py --only sqlite

For each database, in a process of its own (Django binds one database per process) with development
settings and ELASTICSEARCH_URL empty, so that every search is answered by search/fallback.py:

1. `migrate`, and `load_plan --sample` when the plan is not there yet;
2. unless the index table already holds exactly the plan's records plus `--docs` generated ones
   (then the database is reused as it is): the real records (`records.all_records()`) plus `--docs`
   generated progress updates, analysed by `indexing.analyse` and written by
   `indexing.replace_database`, the functions `rebuild_search_index` uses; the time of that table
   rewrite (which maintains the GIN indexes or the FTS5 table) is reported;
3. QUERIES (plan words, residents' words and long questions, pinyin, initials, single common
   characters, traditional characters, numbers, a typo, filters, date sort, page 2) through
   `PortalSearch(...).execute()`, as the search view calls it (analysis, engine, snippets, the
   did-you-mean retry): one untimed round, then `--rounds` timed rounds; p50, p95 (nearest rank)
   and max per search, and the SQL statements each search ran (counted with a connection wrapper).

The generated documents are SearchRecords of kind "update", as the indexer builds them from
progress-update pages. Each belongs to ONE domain and all of its text comes from that domain: the
domain's section of the plan (portal/plan/data/source_text.txt, "(一)公共教育。" up to the next
domain) and the bodies of the domain's own records (its goal, tasks, indicators). Title: a clause
of 8-28 characters of that text (half prefixed "2015年3月"); body: a summary sentence plus 6-18
further sentences; a date in 2014-2015; URL /updates/gen-N/. A fixed seed gives the same corpus on
every run. (`manage.py load_demo_corpus --updates N` will build real pages; this stands in for it.)

PostgreSQL: --pg (default: DATABASE_URL's server, database portal_bench_dbsearch, created when
missing). SQLite: --sqlite (default /tmp/portal-bench-dbsearch.sqlite3).
"""

import argparse
import datetime
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from latency import percentile  # noqa: E402
from search_corpus import title_clauses  # noqa: E402

SOURCE_TEXT = ROOT / "portal" / "plan" / "data" / "source_text.txt"
DEFAULT_DOCS = 10_000
DEFAULT_ROUNDS = 5
DEFAULT_SEED = 20140911
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


# -- the generated corpus --------------------------------------------------------------------------

_SECTION = re.compile(r"^\([一二三四五六七八九十]+\)(\S+?)。$")
_TOP_SECTION = re.compile(r"^[一二三四五六七八九十]+、")
_SENTENCE_END = re.compile("(?<=[\u3002\uff1b;\uff01!\uff1f?])|\n")


def domain_texts(domains: list[str], real_records) -> dict[str, list[str]]:
    """Each domain's sentences: its section of the plan's text and its own records' bodies."""
    sections: dict[str, list[str]] = {name: [] for name in domains}
    current = None
    for line in SOURCE_TEXT.read_text(encoding="utf-8").splitlines():
        heading = _SECTION.match(line.strip())
        if heading:
            current = heading.group(1) if heading.group(1) in sections else None
            continue
        if _TOP_SECTION.match(line.strip()):
            current = None
        if current:
            sections[current].append(line)
    for record in real_records:
        if record.domain in sections and record.body:
            sections[record.domain].append(record.body)
    sentences = {}
    for name, lines in sections.items():
        parts = [s.strip() for s in _SENTENCE_END.split("\n".join(lines))]
        sentences[name] = list(dict.fromkeys(s for s in parts if len(s) >= 8))
        if len(sentences[name]) < 10:
            raise SystemExit(f"search_db.py: only {len(sentences[name])} sentences found for the domain {name}")
    return sentences


def generated_records(count: int, texts: dict[str, list[str]], seed: int = DEFAULT_SEED):
    from django.utils import timezone

    from search.records import SearchRecord

    rnd = random.Random(seed)
    names = sorted(texts)
    clauses = {name: title_clauses(texts[name]) for name in names}
    start = datetime.datetime(2014, 1, 1, 8, 0)
    span_minutes = (datetime.datetime(2015, 12, 31, 18, 0) - start) // datetime.timedelta(minutes=1)
    tz = timezone.get_default_timezone()
    items = []
    for n in range(1, count + 1):
        domain = names[n % len(names)]  # each domain an equal share; all of a record's text is its own
        sentences = texts[domain]
        date = timezone.make_aware(start + datetime.timedelta(minutes=rnd.randrange(span_minutes)), tz)
        title = rnd.choice(clauses[domain])
        if rnd.random() < 0.5:
            title = f"{date.year}年{date.month}月{title}"
        body = "".join(rnd.sample(sentences, min(len(sentences), rnd.randint(6, 18))))
        items.append(
            SearchRecord(
                doc_id=f"gen:{n}",
                kind="update",
                title=title,
                url=f"/updates/gen-{n}/",
                body=f"{rnd.choice(sentences)} {body}",  # summary, then the text, as _page_record joins them
                domain=domain,
                date=date,
            )
        )
    return items


def build_corpus(docs: int, seed: int) -> dict:
    """The plan's records plus `docs` generated ones in the index table, unless they are there already."""
    from portal.plan.models import DomainPage
    from search import indexing, records
    from search.models import IndexEntry

    real = list(records.all_records())
    generated = IndexEntry.objects.filter(doc_id__startswith="gen:")
    if (
        IndexEntry.objects.count() == len(real) + docs
        and generated.count() == docs
        and generated.filter(doc_id=f"gen:{docs}").exists()
    ):
        return {"reused": True, "records": len(real) + docs}
    domains = list(DomainPage.objects.live().order_by("path").values_list("title", flat=True))
    items = real + generated_records(docs, domain_texts(domains, real), seed)
    started = time.perf_counter()
    indexing.analyse(items)
    analysed = time.perf_counter()
    indexing.replace_database(items)  # what rebuild_search_index does to the table: GIN / FTS5 kept by the database
    written = time.perf_counter()
    return {
        "reused": False,
        "records": len(items),
        "analyse_s": analysed - started,
        "table_s": written - analysed,
    }


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
    """One database: set up (or reuse) the data, then measure; figures as JSON to --out."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from portal.plan.models import DomainPage

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    if not DomainPage.objects.exists():
        print("  loading the plan", flush=True)
        call_command("load_plan", "--sample", verbosity=0)
    print(f"  the plan and {args.docs} generated updates in the index table", flush=True)
    corpus = build_corpus(args.docs, args.seed)
    if connection.vendor == "postgresql" and not corpus["reused"]:
        # What autovacuum does within a minute of a rebuild: the deleted rows' space and fresh statistics.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_indexentry")
    corpus["setup_s"] = time.perf_counter() - started
    print(f"  {'reused' if corpus['reused'] else 'written'}; measuring {args.rounds} rounds", flush=True)
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
    command = [sys.executable, __file__, "--worker", "--docs", str(args.docs), "--seed", str(args.seed)]
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
        f"rounds after one untimed round; {first['corpus']['records']} documents"
    )
    print("SQL: statements per search, and at most per engine call (a did-you-mean search calls the engine twice)")
    print(f"{'':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'engine p95':>11} {'SQL':>11}  table rewrite")
    for label, f in results.items():
        a, corpus = f["all"], f["corpus"]
        rewrite = "reused" if corpus["reused"] else f"{corpus['table_s']:.1f} s (analysis {corpus['analyse_s']:.1f} s)"
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
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, help="generated documents (10000)")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help="timed rounds of the query mix (5)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
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
