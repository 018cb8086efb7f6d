"""Generated search documents, and a timed full rebuild of the search index with them (bench/search.sh).

    python bench/search_corpus.py [--generate 10000] [--seed 20140911] [--json FILE]

Needs DJANGO_SETTINGS_MODULE, DATABASE_URL and ELASTICSEARCH_URL in the environment (search.sh
gives production settings and SEARCH_INDEX_PREFIX=portal-bench, so nothing touches a dev index).

The extra documents are SearchRecord objects of kind "update", as the indexer would build them from
progress-update pages: a title of one clause and a body of a summary sentence plus 6 to 18 further
sentences, all drawn from the plan's own text (portal/plan/data/source_text.txt) with a fixed seed,
a domain out of the ten domain pages, a date in 2014-2015, and a URL /updates/gen-N/. The same seed
gives the same corpus on every run.

The rebuild is `manage.py rebuild_search_index` itself (its Command class, run through
call_command), with `records.all_records()` yielding the real records followed by the generated
ones. Nothing in the command changes; wrappers around the functions it calls only take the time:
collecting the records; the database table (everything between the records and the Elasticsearch
part: Python analysis, SQL, the rest); Elasticsearch (create index; streaming_bulk, split into
Python analysis, the bulk HTTP requests, and the rest: document building and chunking; refresh and
alias swap). Python analysis is chinese.index_terms, wherever the command calls it (the table and
Elasticsearch each, or once per record if the record keeps its terms). Afterwards both the table and
the alias are checked to hold every record.
"""

import argparse
import datetime
import io
import json
import os
import random
import re
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TEXT = ROOT / "portal" / "plan" / "data" / "source_text.txt"
DEFAULT_COUNT = 10_000
DEFAULT_SEED = 20140911  # the plan's date
_SENTENCE_END = re.compile("(?<=[\u3002\uff1b;\uff01!\uff1f?])|\n")  # after 。;!? (full or half width)
_CLAUSE_SPLIT = re.compile("[,\uff0c\u3001:\uff1a ]")  # , 、 : and spaces
_CLAUSE_END = re.compile("[\u3002\uff1b;\uff01!\uff1f?]+$")


def plan_sentences() -> list[str]:
    """The plan's sentences of 8 characters or more, in text order."""
    text = SOURCE_TEXT.read_text(encoding="utf-8")
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) >= 8]


def title_clauses(sentences: list[str]) -> list[str]:
    """Clauses of 8-28 characters, without their final punctuation: headline-sized pieces."""
    clauses = []
    for sentence in sentences:
        for clause in _CLAUSE_SPLIT.split(sentence):
            clause = _CLAUSE_END.sub("", clause.strip())
            if 8 <= len(clause) <= 28:
                clauses.append(clause)
    return list(dict.fromkeys(clauses))


def generated_records(count: int, domains: list[str], seed: int = DEFAULT_SEED):
    """`count` progress-update records, the same for the same seed (see the module docstring)."""
    from django.utils import timezone

    from search.records import SearchRecord

    rnd = random.Random(seed)
    sentences = plan_sentences()
    clauses = title_clauses(sentences)
    start = datetime.datetime(2014, 1, 1, 8, 0)
    span_minutes = (datetime.datetime(2015, 12, 31, 18, 0) - start) // datetime.timedelta(minutes=1)
    tz = timezone.get_default_timezone()
    records = []
    for n in range(1, count + 1):
        date = timezone.make_aware(start + datetime.timedelta(minutes=rnd.randrange(span_minutes)), tz)
        title = rnd.choice(clauses)
        if rnd.random() < 0.5:
            title = f"{date.year}年{date.month}月{title}"
        summary = rnd.choice(sentences)
        text = "".join(rnd.sample(sentences, rnd.randint(6, 18)))
        records.append(
            SearchRecord(
                doc_id=f"gen:{n}",
                kind="update",
                title=title,
                url=f"/updates/gen-{n}/",
                body=f"{summary} {text}",  # as records._page_record builds an update's body
                domain=rnd.choice(domains),
                date=date,
            )
        )
    return records


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


def timed_rebuild(extra):
    """Run rebuild_search_index with `extra` records after the real ones; returns the figures."""
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
        with timer.span("collect real records"):
            real = list(original_all_records())
        marks["real"] = len(real)
        return real + extra

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

    total_records = marks["real"] + len(extra)
    in_table = IndexEntry.objects.count()
    documents.client().indices.refresh(index=documents.alias_name())
    in_alias = documents.client().count(index=documents.alias_name())["count"]
    s = timer.seconds
    table = marks["table_end"] - marks["table_start"]
    es_fill = marks["es_end"] - marks["es_start"]
    both = max(marks["table_end"], marks["es_end"]) - min(marks["table_start"], marks["es_start"])
    return {
        "records": total_records,
        "real_records": marks["real"],
        "generated_records": len(extra),
        "in_table": in_table,
        "in_alias": in_alias,
        "command_output": out.getvalue().strip(),
        "total_s": total,
        "collect_s": s["collect real records"],
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
    parser.add_argument("--generate", type=int, default=DEFAULT_COUNT, help="extra documents (10000)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from portal.plan.models import DomainPage
    from search import chinese, documents

    if not documents.enabled():
        sys.exit("search_corpus.py: ELASTICSEARCH_URL is not set")
    if not settings.SEARCH_INDEX_PREFIX.startswith("portal-bench"):
        prefix = settings.SEARCH_INDEX_PREFIX
        sys.exit(f"search_corpus.py: refusing to rebuild {prefix!r}: use SEARCH_INDEX_PREFIX=portal-bench")

    started = time.perf_counter()
    chinese.warm_up()
    chinese.index_terms("入园率")
    warm = time.perf_counter() - started

    domains = list(DomainPage.objects.live().order_by("path").values_list("title", flat=True))
    if len(domains) != 10:
        sys.exit(f"search_corpus.py: expected the plan's 10 domains in the database, found {len(domains)}")
    started = time.perf_counter()
    extra = generated_records(args.generate, domains, args.seed)
    generate = time.perf_counter() - started
    body_chars = sum(len(r.body) for r in extra) / max(1, len(extra))
    title_chars = sum(len(r.title) for r in extra) / max(1, len(extra))

    print(
        f"corpus: {len(extra)} generated updates (seed {args.seed}, {generate:.1f} s to build; average title "
        f"{title_chars:.0f} characters, body {body_chars:.0f}); dictionaries loaded in {warm:.1f} s (not timed below)",
        flush=True,
    )
    figures = timed_rebuild(extra)
    f = figures
    print(f"rebuild_search_index: {f['command_output']}")
    rows = [
        ("full rebuild (the command's handle())", f["total_s"]),
        (f"  collect the {f['real_records']} real records (all_records)", f["collect_s"]),
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
    print(f"{'step':<72} {'seconds':>8}")
    for label, seconds in rows:
        print(f"{label:<72} {seconds:>8.2f}")
    print(
        f"records {f['records']} ({f['real_records']} real + {f['generated_records']} generated); "
        f"in the table {f['in_table']}, behind the alias {f['in_alias']}"
    )
    print(
        f"slowest bulk request {f['es_bulk_max_s']:.2f} s; the indexing client's request timeout is "
        f"SEARCH_INDEX_TIMEOUT = {settings.SEARCH_INDEX_TIMEOUT:g} s"
    )
    figures.update(
        generate_s=generate,
        body_chars=body_chars,
        title_chars=title_chars,
        seed=args.seed,
    )
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    if f["in_table"] != f["records"] or f["in_alias"] != f["records"]:
        sys.exit("search_corpus.py: the rebuilt indices do not hold every record")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    main()
