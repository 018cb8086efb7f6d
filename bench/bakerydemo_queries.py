"""SQL queries per request of bakerydemo's pages, in-process, and the versions it runs on.

    cd /tmp/portal-bakerydemo/src && DJANGO_SETTINGS_MODULE=bakerydemo.settings.production … \\
        ../venv-py3.11/bin/python /path/to/bench/bakerydemo_queries.py --json OUT [URL ...]

Run by bench/bakerydemo.sh in bakerydemo's own venv, from its source tree, with its production
settings and database (nothing of the portal is imported). Per URL, as bench/queries.py counts ours:
*first*, the first request of a fresh process (Django's cache, which holds Wagtail's site root
paths, starts empty); *warm*, the steady state of a running worker (the count of the last of
--rounds requests); *req ms* and *sql ms*, the medians over those requests of the time in
Django's test client (all middleware) and of the part spent executing SQL. Only reads.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from importlib.metadata import version

import django
from django.db import connection
from django.test import Client


class QueryLog:
    """An execute wrapper: how many statements ran and how long they took."""

    def __init__(self):
        self.count = 0
        self.sql_ms = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.sql_ms += (time.perf_counter() - start) * 1000


def measure(client, path):
    """(queries, request ms, SQL ms) of one GET."""
    log = QueryLog()
    start = time.perf_counter()
    with connection.execute_wrapper(log):
        response = client.get(path, HTTP_HOST="127.0.0.1")
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"{path}: HTTP {response.status_code} (expected 200)")
    return log.count, elapsed, log.sql_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/blog/"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--source", default="", help="where bakerydemo came from (its commit), for the record")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    sys.path.insert(0, os.getcwd())  # bakerydemo's tree, as for its manage.py
    django.setup()
    from django.conf import settings

    versions = {
        "python": platform.python_version(),
        **{name: version(name) for name in ("django", "wagtail", "gunicorn", "psycopg")},
        "bakerydemo": args.source,
        "settings": settings.SETTINGS_MODULE,
        "debug": settings.DEBUG,
    }
    print(", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"{'url':<20} {'first':>6} {'warm':>6} {'req ms':>8} {'sql ms':>8}")
    client = Client()
    pages = {}
    for path in args.paths:
        first = measure(client, path)[0]
        runs = [measure(client, path) for _ in range(args.rounds)]
        row = {
            "first": first,
            "warm": runs[-1][0],
            "req_ms": statistics.median(r[1] for r in runs),
            "sql_ms": statistics.median(r[2] for r in runs),
        }
        pages[path] = row
        print(f"{path:<20} {first:>6} {row['warm']:>6} {row['req_ms']:>8.1f} {row['sql_ms']:>8.1f}", flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"versions": versions, "pages": pages}, out, indent=2)


if __name__ == "__main__":
    main()
