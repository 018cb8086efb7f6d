"""Where a search request's time goes, in-process (bench/search.sh runs it before the server starts).

    python bench/search_profile.py [--rounds 3] [--db-rounds 1] [--json FILE]

Runs the query mix of bench/search_latency.py through Django's test client (the whole middleware
stack and the view, settings from the environment: production ones in search.sh) and splits each
request's wall time into:

  analysis     concepts.plan_query (PortalSearch builds it for the query, and again for a
               corrected query), jieba + OpenCC + pypinyin + synonyms
  corrections  chinese.correct_query and chinese.suggest_corrections
  engine       Elasticsearch: elasticsearch_dsl Search.execute, the client's wall time (building
               the request, HTTP, JSON); its 'es took' is the time Elasticsearch says it spent.
               Database engine: search.fallback.search (SQL + scoring in Python)
  snippets     make_snippet for the hits
  render       django.shortcuts.render of search/search.html (JSON responses have none)
  sql          SQL outside the engine: the query log insert, the popular-searches and synonyms
               queries when their cache is cold
  other        the rest: URL routing, middleware, PortalSearch glue, JSON encoding

A wrapped function called inside another wrapped one counts for the outer one only. Figures are
medians per request (of the whole mix), and each part's share of the summed time. One untimed
round first, then `--rounds` timed rounds with Elasticsearch, then `--db-rounds` with the database
engine (ELASTICSEARCH_URL overridden to empty; no untimed round of its own, it is slow). SQL run
inside the engine or the render is shown apart as well.
"""

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))
from search_latency import QUERIES, search_path  # noqa: E402

PARTS = ["analysis", "corrections", "engine", "snippets", "render", "sql", "other"]
# Noted apart, already inside a part above: Elasticsearch's own time, SQL inside the engine and
# inside the render, and the number of SQL queries.
EXTRA = ["es_took", "engine_sql", "render_sql", "queries"]


class Profile:
    def __init__(self):
        self.current = None
        self.active = None
        self.es_took = []

    def start(self):
        self.current = dict.fromkeys([*PARTS, *EXTRA], 0.0)

    def wrap(self, part, func):
        profile = self

        def wrapper(*args, **kwargs):
            if profile.active is not None or profile.current is None:
                return func(*args, **kwargs)
            profile.active = part
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                profile.current[part] += time.perf_counter() - start
                profile.active = None

        return wrapper

    def sql(self, execute, query, params, many, context):
        """SQL outside any part counts as sql; inside the engine or the render, it is noted apart
        (as engine_sql, render_sql) and stays part of the engine's or the render's time."""
        if self.current is None or self.active == "sql":
            return execute(query, params, many, context)
        outer = self.active
        if outer is None:
            self.active = "sql"
        start = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            key = "sql" if outer is None else f"{outer}_sql"
            self.current[key] = self.current.get(key, 0.0) + time.perf_counter() - start
            self.current["queries"] += 1
            self.active = outer


def run(client, profile, rounds, warmup):
    rows = []
    for i in range(warmup + rounds):
        for query, _ in QUERIES:
            profile.start()
            start = time.perf_counter()
            response = client.get(search_path(query), HTTP_HOST="127.0.0.1")
            total = time.perf_counter() - start
            if response.status_code != 200:
                raise SystemExit(f"{query}: HTTP {response.status_code}")
            row = profile.current
            profile.current = None
            row["total"] = total
            row["other"] = total - sum(row[p] for p in PARTS if p != "other")
            row = {k: v for k, v in row.items() if k in PARTS or k in EXTRA or k == "total"}
            if i >= warmup:
                rows.append(row)
    return rows


LABELS = {
    "es_took": "  (Elasticsearch's own 'took', inside engine)",
    "engine_sql": "  (SQL inside engine)",
    "render_sql": "  (SQL inside render)",
}


def describe(rows, label):
    keys = ["total", *PARTS, "es_took", "engine_sql", "render_sql"]
    medians = {k: statistics.median(r[k] for r in rows) * 1000 for k in keys}
    sums = {k: sum(r[k] for r in rows) for k in keys}
    shares = {k: 100 * sums[k] / sums["total"] for k in keys}
    queries = sum(r["queries"] for r in rows) / len(rows)
    print(f"{label}: {len(rows)} requests, in-process; {queries:.1f} SQL queries per request")
    print(f"{'part':<48} {'median ms':>10} {'mean ms':>8} {'share':>7}")
    for k in keys:
        if k in LABELS and not sums[k]:
            continue
        print(f"{LABELS.get(k, k):<48} {medians[k]:>10.1f} {1000 * sums[k] / len(rows):>8.1f} {shares[k]:>6.0f}%")
    return {
        "requests": len(rows),
        "sql_queries": queries,
        "median_ms": medians,
        "mean_ms": {k: 1000 * sums[k] / len(rows) for k in keys},
        "share_pct": shares,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-rounds", type=int, default=1)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    import django

    django.setup()
    import elasticsearch_dsl

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from search import chinese, concepts, fallback, queries, views

    chinese.warm_up()
    profile = Profile()
    original_execute = elasticsearch_dsl.Search.execute

    def execute(self, *args, **kwargs):
        result = original_execute(self, *args, **kwargs)
        if profile.current is not None:
            profile.current["es_took"] += result.took / 1000
        return result

    client = Client()
    figures = {}
    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(concepts, "plan_query", profile.wrap("analysis", concepts.plan_query)))
        stack.enter_context(
            mock.patch.object(chinese, "correct_query", profile.wrap("corrections", chinese.correct_query))
        )
        stack.enter_context(
            mock.patch.object(chinese, "suggest_corrections", profile.wrap("corrections", chinese.suggest_corrections))
        )
        stack.enter_context(mock.patch.object(elasticsearch_dsl.Search, "execute", profile.wrap("engine", execute)))
        stack.enter_context(mock.patch.object(fallback, "search", profile.wrap("engine", fallback.search)))
        stack.enter_context(mock.patch.object(queries, "make_snippet", profile.wrap("snippets", queries.make_snippet)))
        stack.enter_context(mock.patch.object(views, "render", profile.wrap("render", views.render)))
        stack.enter_context(connection.execute_wrapper(profile.sql))
        if os.environ.get("ELASTICSEARCH_URL"):
            figures["elasticsearch"] = describe(run(client, profile, args.rounds, 1), "Elasticsearch engine")
            print()
        if args.db_rounds:
            with override_settings(ELASTICSEARCH_URL=""):
                # No untimed round: the Elasticsearch rounds warmed everything but the engine itself,
                # and a round takes half a minute here.
                figures["database"] = describe(run(client, profile, args.db_rounds, 0), "database engine")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
