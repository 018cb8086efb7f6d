"""A timed full rebuild of the search index over every real record (bench/search.sh).

    python bench/search_corpus.py [--demo-updates 10000] [--json FILE]

Needs DJANGO_SETTINGS_MODULE, DATABASE_URL and ELASTICSEARCH_URL in the environment (search.sh
gives production settings and SEARCH_INDEX_PREFIX=portal-bench, so nothing touches a dev index).

The records are the database's own, as `records.all_records()` collects them: the plan and its
sample data, plus the demo progress updates that `manage.py load_demo_corpus --updates N` published
beforehand (search.sh loads 10,000 with development settings: real UpdatePages, each in one domain,
quoting that domain's plan text). Nothing is appended. `--demo-updates N` makes the run fail unless
the database holds exactly N demo updates.

The rebuild is `manage.py rebuild_search_index` itself (its Command class, run through
call_command). Nothing in the command changes; wrappers around the functions it calls only take
the time: collecting the records (loading every page and rendering its body); the database table
(everything between the records and the Elasticsearch part: Python analysis, SQL, the rest);
Elasticsearch (create index; streaming_bulk, split into Python analysis, the bulk HTTP requests,
and the rest: document building and chunking; refresh and alias swap). Python analysis is
chinese.index_terms, wherever the command calls it (the table and Elasticsearch each, or once per
record if the record keeps its terms). Afterwards both the table and the alias are checked to hold
every record. The records are counted by kind.
"""

import argparse
import io
import json
import os
import sys
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent


class Timer:
    """Wall time and calls per named bucket."""

    def __init__(self):
        self.seconds, self.calls = {}, {}

    def add(self, name, seconds):
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.calls[name] = self.calls.get(name, 0) + 1

    @contextmanager
    def span(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)


def by_kind(items) -> dict[str, int]:
    """How many records of each kind, the most numerous first."""
    return dict(Counter(record.kind for record in items).most_common())


def average_chars(items) -> dict[str, dict[str, float]]:
    """Average title and body length per kind: analysis time is about proportional to the characters."""
    sums: dict[str, list[int]] = {}
    for record in items:
        row = sums.setdefault(record.kind, [0, 0, 0])
        row[0] += 1
        row[1] += len(record.title)
        row[2] += len(record.body)
    return {kind: {"title": t / n, "body": b / n} for kind, (n, t, b) in sums.items()}


def kinds_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in counts.items())


def timed_rebuild():
    """Run rebuild_search_index over the database's records; returns the figures."""
    from elasticsearch import Elasticsearch

    from django.core.management import call_command
    from django.db import connection

    from search import documents, indexing, records
    from search.management.commands import rebuild_search_index as command_module
    from search.models import IndexEntry

    timer = Timer()
    original_all_records = records.all_records
    original_analyse = indexing.analyse
    original_bulk = Elasticsearch.bulk
    sql = {"count": 0, "seconds": 0.0}
    es_took_ms = [0]
    bulk_max = [0.0]
    marks = {}

    def all_records():
        with timer.span("collect records"):
            collected = list(original_all_records())
        marks["records"] = collected
        return collected

    def analyse(items, *args, **kwargs):
        marks["workers"] = kwargs.get("workers") or settings.SEARCH_INDEX_WORKERS
        with timer.span("analysis"):
            return original_analyse(items, *args, **kwargs)

    def bulk(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            response = original_bulk(self, *args, **kwargs)
            es_took_ms[0] += response.body.get("took", 0)
            return response
        finally:
            elapsed = time.perf_counter() - start
            bulk_max[0] = max(bulk_max[0], elapsed)
            timer.add("elasticsearch: bulk HTTP requests", elapsed)

    def count_sql(execute, query, params, many, context):
        start = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["count"] += 1
            sql["seconds"] += time.perf_counter() - start

    class BenchCommand(command_module.Command):
        """The command unchanged, with its steps timed (the table and the new index overlap)."""

        def _write_table(self, items, show):
            marks["table_start"] = time.perf_counter()
            try:
                with connection.execute_wrapper(count_sql):
                    return super()._write_table(items, show)
            finally:
                marks["table_end"] = time.perf_counter()

        def _fill_new_index(self, items, show):
            marks["es_start"] = time.perf_counter()
            try:
                return super()._fill_new_index(items, show)
            finally:
                marks["es_end"] = time.perf_counter()

        def _swap(self, name, keep_old):
            with timer.span("alias swap, delete old index"):
                return super()._swap(name, keep_old)

    from django.conf import settings

    out = io.StringIO()
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(records, "all_records", all_records))
        stack.enter_context(mock.patch.object(indexing, "analyse", analyse))
        stack.enter_context(mock.patch.object(Elasticsearch, "bulk", bulk))
        started = time.perf_counter()
        call_command(BenchCommand(), no_progress=True, stdout=out)
        total = time.perf_counter() - started

    collected = marks["records"]
    total_records = len(collected)
    in_table = IndexEntry.objects.count()
    documents.client().indices.refresh(index=documents.alias_name())
    in_alias = documents.client().count(index=documents.alias_name())["count"]
    s = timer.seconds
    table = marks["table_end"] - marks["table_start"]
    es_fill = marks["es_end"] - marks["es_start"]
    both = max(marks["table_end"], marks["es_end"]) - min(marks["table_start"], marks["es_start"])
    return {
        "records": total_records,
        "by_kind": by_kind(collected),
        "average_chars": average_chars(collected),
        "in_table": in_table,
        "in_alias": in_alias,
        "command_output": out.getvalue().strip(),
        "total_s": total,
        "collect_s": s["collect records"],
        "analysis_s": s["analysis"],
        "analysis_workers": marks["workers"],
        "table_s": table,
        "table_sql_s": sql["seconds"],
        "table_sql_count": sql["count"],
        "es_fill_s": es_fill,
        "table_and_es_s": both,
        "es_bulk_http_s": s.get("elasticsearch: bulk HTTP requests", 0.0),
        "es_bulk_took_s": es_took_ms[0] / 1000,
        "es_bulk_requests": timer.calls.get("elasticsearch: bulk HTTP requests", 0),
        "es_bulk_max_s": bulk_max[0],
        "swap_s": s["alias swap, delete old index"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--demo-updates", type=int, metavar="N", help="fail unless the database holds exactly N demo updates"
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from portal.plan.models import DomainPage
    from portal.updates import services
    from search import chinese, engine

    if not engine.enabled():
        sys.exit("search_corpus.py: ELASTICSEARCH_URL is not set")
    if not settings.SEARCH_INDEX_PREFIX.startswith("portal-bench"):
        prefix = settings.SEARCH_INDEX_PREFIX
        sys.exit(f"search_corpus.py: refusing to rebuild {prefix!r}: use SEARCH_INDEX_PREFIX=portal-bench")
    domains = DomainPage.objects.live().count()
    if domains != 10:
        sys.exit(f"search_corpus.py: expected the plan's 10 domains in the database, found {domains}")
    demo = services.demo_updates().filter(live=True).count()
    if args.demo_updates is not None and demo != args.demo_updates:
        sys.exit(
            f"search_corpus.py: the database holds {demo} demo updates, not {args.demo_updates}: "
            f"run manage.py load_demo_corpus --updates {args.demo_updates} (development settings) first"
        )

    started = time.perf_counter()
    chinese.warm_up()
    chinese.index_terms("入园率")
    warm = time.perf_counter() - started
    print(
        f"corpus: the database's records, {demo} of them demo updates (load_demo_corpus); "
        f"dictionaries loaded in {warm:.1f} s (not timed below)",
        flush=True,
    )
    figures = timed_rebuild()
    f = figures
    figures["demo_updates"] = demo
    print(f"rebuild_search_index: {f['command_output']}")
    rows = [
        ("full rebuild (the command's handle())", f["total_s"]),
        (f"  collect the {f['records']} records (all_records: load the pages, render bodies)", f["collect_s"]),
        (f"  analyse every record (indexing.analyse, {f['analysis_workers']} processes)", f["analysis_s"]),
        ("  database table and new Elasticsearch index, side by side", f["table_and_es_s"]),
        ("    database table (one transaction: delete, then insert every record)", f["table_s"]),
        (f"      SQL ({f['table_sql_count']} statements)", f["table_sql_s"]),
        ("    new Elasticsearch index (create, streaming_bulk in chunks of 500, refresh)", f["es_fill_s"]),
        (
            f"      bulk HTTP requests ({f['es_bulk_requests']}; ES 'took' {f['es_bulk_took_s']:.1f} s)",
            f["es_bulk_http_s"],
        ),
        ("  alias swap + delete old index", f["swap_s"]),
    ]
    print(f"{'step':<78} {'seconds':>8}")
    for label, seconds in rows:
        print(f"{label:<78} {seconds:>8.2f}")
    print(f"records {f['records']} by kind: {kinds_text(f['by_kind'])} ({demo} demo updates among the updates)")
    print(
        "average characters, title / body: "
        + ", ".join(f"{kind} {c['title']:.0f} / {c['body']:.0f}" for kind, c in f["average_chars"].items())
    )
    print(f"in the table {f['in_table']}, behind the alias {f['in_alias']}")
    print(
        f"slowest bulk request {f['es_bulk_max_s']:.2f} s; the indexing client's request timeout is "
        f"SEARCH_INDEX_TIMEOUT = {settings.SEARCH_INDEX_TIMEOUT:g} s"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    if f["in_table"] != f["records"] or f["in_alias"] != f["records"]:
        sys.exit("search_corpus.py: the rebuilt indices do not hold every record")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    main()
