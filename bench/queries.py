"""SQL queries per public page, counted in-process with Django's test client.

    DATABASE_URL=postgres://postgres@127.0.0.1:54329/portal_bench \
        python bench/queries.py [--sql /education/] [--full-sql] [--no-growth] [URL ...]

For each URL it reports:
  first  queries of the first request after the per-process caches (Django's cache, which holds
         Wagtail's site root paths, and the content-type cache) were cleared: a fresh worker;
  warm   queries once those caches are filled, which is what a running gunicorn worker does for
         almost every request (the target applies to this figure);
  grown  warm queries after more data was added (see grow() below) inside a transaction that is
         rolled back, so the database is left as it was. A page whose count changes here runs
         queries per item (N+1) and will get slower as staff add content.
It also counts every domain page, since a count that differs between domains of different sizes
is the same warning sign, and prints the SQL of the pages named with --sql, each query with the
code that issued it.

Settings: portal.settings.dev (DEBUG off) against DATABASE_URL, which must name the bench database.
"""

import argparse
import json
import os
import re
import statistics
import sys
import time
import traceback
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DEBUG", "False")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # the views' own queries: the page cache would answer with none

DEFAULT_PATHS = ["/", "/education/", "/employment/", "/education/task-1/edu-01/"]
TARGET = 15  # the most queries a public page may run (bench/README.md)
HOST = "127.0.0.1"


class Rollback(Exception):
    pass


class QueryLog:
    """Records each query with the innermost frame of project code (else of a library) that issued it."""

    SKIP = ("/django/db/", "/django/test/", "/django/utils/", "/contextlib.py", "bench/queries.py")

    def __init__(self, origins=True):
        self.entries = []
        self.sql_ms = 0.0
        self.origins = origins  # finding the origin walks the stack: off while timing

    def __call__(self, execute, sql, params, many, context):
        origin = self.origin() if self.origins else ""
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql_ms += (time.perf_counter() - start) * 1000
            self.entries.append((sql, params, origin))

    def origin(self):
        frames = traceback.extract_stack()[:-2]
        own = [f for f in frames if f.filename.startswith(str(ROOT / "portal"))]
        if own:
            f = own[-1]
            return f"{Path(f.filename).relative_to(ROOT)}:{f.lineno} {f.name}"
        libs = [f for f in frames if not any(s in f.filename for s in self.SKIP)]
        f = libs[-1] if libs else frames[-1]
        short = f.filename.split("site-packages/")[-1]
        return f"{short}:{f.lineno} {f.name}"


def clear_process_caches():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    ContentType.objects.clear_cache()


def count(client, path, timing=None):
    from django.db import connection

    log = QueryLog(origins=timing is None)
    start = time.perf_counter()
    with connection.execute_wrapper(log):
        response = client.get(path)
    if timing is not None:
        timing.append(((time.perf_counter() - start) * 1000, log.sql_ms))
    if response.status_code != 200:
        sys.exit(f"{path}: HTTP {response.status_code} (expected 200)")
    return log.entries


def measure(client, paths, repeat=1):
    """{path: (first, warm, warm_entries, timing)}; `first` with cold per-process caches.

    timing: medians over `repeat` warm requests of (whole request ms, ms inside SQL execute),
    in-process (the test client adds a little; the query log without origins very little).
    """
    result = {}
    for path in paths:
        clear_process_caches()
        first = count(client, path)
        count(client, path)
        warm = count(client, path)
        timing = []
        for _ in range(repeat):
            again = count(client, path, timing)
            if len(again) != len(warm):
                print(f"note: {path} warm count unstable ({len(warm)} then {len(again)})")
        request_ms = statistics.median(t for t, _ in timing) if timing else None
        sql_ms = statistics.median(q for _, q in timing) if timing else None
        result[path] = (len(first), len(warm), warm, (request_ms, sql_ms), first)
    return result


def page_for(path):
    from wagtail.models import Page, Site

    root = Site.objects.get(is_default_site=True).root_page
    return Page.objects.get(url_path=root.url_path + path.lstrip("/")).specific


def grow(paths):
    """Add content around the measured pages (inside the caller's transaction).

    Every indicator: +2 published measurements. Each domain page measured: +2 tasks (each with
    2 departments and 2 indicators), +1 domain-level indicator, +5 progress updates linked to it.
    Each indicator page measured: +5 measurements and +3 updates linked to it. Returns a summary.
    """
    from portal.plan.models import Department, DomainPage, IndicatorPage, Measurement, Responsibility, TaskPage
    from portal.updates.models import UpdateIndexPage, UpdatePage

    added = Counter()
    day = date(2015, 6, 30)

    def measurements(indicator, n):
        for i in range(n):
            Measurement.objects.create(
                indicator=indicator,
                date=day - timedelta(days=7 * i + 1),
                value=Decimal("50") + i,
                source="bench",
                is_sample=True,
                live=True,
            )
        added["measurements"] += n

    def indicator_under(parent, code):
        indicator = parent.add_child(
            instance=IndicatorPage(
                title=f"bench {code}",
                slug=code,
                code=code,
                comparator=">=",
                target=Decimal("90"),
                target_year=2015,
                unit="%",
                quote="bench",
                live=True,
            )
        )
        added["indicators"] += 1
        measurements(indicator, 3)
        return indicator

    update_index = UpdateIndexPage.objects.first()

    def updates(n, tag, domains=(), indicators=()):
        if update_index is None:
            return
        for i in range(n):
            update = UpdatePage(title=f"bench {tag} {i}", slug=f"bench-{tag}-{i}", summary="bench", live=True)
            update.domains = list(domains)
            update.indicators = list(indicators)
            update_index.add_child(instance=update)
        added["updates"] += n

    for indicator in IndicatorPage.objects.all():
        measurements(indicator, 2)
    departments = list(Department.objects.order_by("pk")[:2])
    for path in paths:
        page = page_for(path)
        if isinstance(page, DomainPage):
            new = []
            for t in range(2):
                task = page.add_child(
                    instance=TaskPage(title=f"bench task {t}", slug=f"bench-task-{t}", number=90 + t, text="bench")
                )
                added["tasks"] += 1
                for d in departments:
                    Responsibility.objects.create(page=task, department=d, role="responsible")
                    added["responsibilities"] += 1
                new += [indicator_under(task, f"bench-{page.pk}-{t}-{i}") for i in range(2)]
            new.append(indicator_under(page, f"bench-{page.pk}-d"))
            updates(5, f"d{page.pk}", domains=[page], indicators=new[:1])
        elif isinstance(page, IndicatorPage):
            measurements(page, 5)
            updates(3, f"i{page.pk}", indicators=[page])
    return ", ".join(f"+{n} {what}" for what, n in added.items())


def compact(sql):
    """The column list of a SELECT is noise when looking for what to optimise: elide it."""
    return re.sub(r"^SELECT .+? FROM ", "SELECT … FROM ", sql, count=1, flags=re.S)


def domain_scan(client):
    from portal.plan.models import DomainPage, IndicatorPage, TaskPage

    rows = []
    for domain in DomainPage.objects.live().order_by("path"):
        path = domain.url_path[len(domain.get_site().root_page.url_path) - 1 :]
        tasks = TaskPage.objects.child_of(domain).live().count()
        indicators = IndicatorPage.objects.descendant_of(domain).live().count()
        rows.append((path, tasks, indicators, len(count(client, path))))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--sql", action="append", help="print the warm queries of this URL (default: /education/)")
    parser.add_argument("--full-sql", action="store_true", help="print SELECT column lists and parameters too")
    parser.add_argument("--no-growth", action="store_true", help="skip the rolled-back growth test")
    parser.add_argument("--json", help="also write the counts to this file")
    args = parser.parse_args()
    sql_paths = args.sql or ["/education/"]

    url = os.environ.get("DATABASE_URL", "")
    if not url.rstrip("/").endswith("/portal_bench"):
        sys.exit("DATABASE_URL must point at the bench database (…/portal_bench); bench/run.sh sets it")

    import django

    django.setup()
    from django.db import transaction
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    paths = list(dict.fromkeys(args.paths + sql_paths))
    base = measure(client, paths, repeat=20)

    grown, grown_note = {}, ""
    if not args.no_growth:
        try:
            with transaction.atomic():
                grown_note = grow(paths)
                clear_process_caches()
                grown = measure(client, paths)
                raise Rollback
        except Rollback:
            pass

    print(f"queries per request (Django test client, in-process; target ≤ {TARGET} warm)")
    print(f"{'url':<32} {'first':>6} {'warm':>6} {'grown':>6} {'req ms':>7} {'sql ms':>7}  flags")
    flagged = []
    figures = {}
    for path in paths:
        first, warm, _, (request_ms, sql_ms), _ = base[path]
        g = grown[path][1] if path in grown else None
        figures[path] = {"first": first, "warm": warm, "grown": g, "request_ms": request_ms, "sql_ms": sql_ms}
        flags = []
        if warm > TARGET:
            flags.append(f"over {TARGET}")
        if g is not None and g != warm:
            flags.append(f"grows with data ({g - warm:+d})")
        figures[path]["flags"] = flags
        if flags:
            flagged.append(path)
        print(
            f"{path:<32} {first:>6} {warm:>6} {'-' if g is None else g:>6} {request_ms:>7.1f} {sql_ms:>7.1f}  "
            f"{', '.join(flags) or 'ok'}"
        )
    if grown_note:
        print(f"grown = warm count after adding, then rolling back: {grown_note}")
    print("req ms / sql ms = in-process request time and the part spent executing SQL (medians of 20)")
    print("first-request extras (per-process caches, paid once per worker):")
    for path in paths:
        warm_sql = Counter(sql for sql, _, _ in base[path][2])
        extras = Counter()
        for sql, _, origin in base[path][4]:
            if warm_sql[sql] > 0:
                warm_sql[sql] -= 1
            else:
                extras[origin.split(" ")[-1]] += 1
        listed = ", ".join(f"{n}× {name}" for name, n in extras.items()) or "none"
        print(f"  {path:<30} {listed}")

    print("\nwarm queries on every domain page (a count that follows size means per-item queries)")
    print(f"{'domain page':<32} {'tasks':>6} {'indic.':>6} {'warm':>6}")
    scan = domain_scan(client)
    for path, tasks, indicators, n in scan:
        print(f"{path:<32} {tasks:>6} {indicators:>6} {n:>6}")
    # A domain without indicators skips the measurement prefetch: one query fewer, not a growth sign.
    with_indicators = {n for _, _, indicators, n in scan if indicators}
    if len(with_indicators) == 1:
        print(f"domain pages: {with_indicators.pop()} queries on every domain with indicators, whatever its size")
    else:
        print(f"domain pages: counts differ between domains with indicators: {sorted(with_indicators)}")

    for path in sql_paths:
        entries = base[path][2]
        print(f"\nSQL of {path} (warm, {len(entries)} queries)")
        for i, (sql, params, origin) in enumerate(entries, 1):
            text = sql if args.full_sql else compact(sql)
            print(f"{i:>3}. [{origin}]\n     {text}")
            if args.full_sql and params:
                print(f"     params: {params}")
    if flagged:
        print(f"\nflagged: {' '.join(flagged)}")
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"pages": figures, "domains": scan, "grown": grown_note}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
