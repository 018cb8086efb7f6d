"""Where the time of one feedback submission goes, in-process (no HTTP server, no concurrency).

    DJANGO_SETTINGS_MODULE=portal.settings.production … python bench/feedback_profile.py [--rounds 200]
        [--pstats out.pstats] [--json out.json]

Runs the resident's round, GET /feedback/ then POST /feedback/, with Django's test client through the
full middleware stack (CSRF checks on, the session cookie kept, REMOTE_ADDR 127.0.0.1), against the
database of DATABASE_URL, committing as the server does. The run's titles start with
`BENCHPROF-<run>-`. It reports, per round (medians over --rounds, after 10 warm-up rounds):

  - the GET and the POST, each split into SQL (count and time, grouped by statement),
    template rendering, CSRF middleware, session save, and the rest;
  - inside the POST: the rate limiter, form validation (of which sanitize.clean_text, and bleach
    within it), submission_create (the transaction: INSERT, the UPDATE that sets the number, the
    event INSERT, COMMIT), the session save and the redirect;
  - then one cProfile pass over the same rounds: the top functions by cumulative and by own time.

The timers wrap functions by replacing module attributes for this process only; nothing in the
portal's code changes. Figures are for one process on an idle core; under load, a worker also
waits for the CPU it shares with the other worker, PostgreSQL and the load generator.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.forms.renderers import BaseRenderer  # noqa: E402
from django.forms.widgets import ChoiceWidget, Widget  # noqa: E402
from django.middleware.csrf import CsrfViewMiddleware  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.test import Client  # noqa: E402

from portal.core import sanitize  # noqa: E402
from portal.participation import forms as pforms  # noqa: E402
from portal.participation import ratelimit, services  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONTENT = (
    "我是台城街道的居民,孩子今年九月上幼儿园。公办园学位太紧张,报名当天就满了,民办园每月收费两千多元,"
    "对我们普通家庭负担很重。希望政府能增加公办学位,或者对普惠性民办园给予更多补贴。\n"
    "社区卫生服务中心上午看病要排很久的队,老人站着等一个多小时。建议增加周末门诊,并在候诊区多放一些座椅。"
)

# Accumulated milliseconds per timer during the current request; reset per request.
timers = defaultdict(float)
counts = defaultdict(int)


ORDER = []  # display order: as installed
depth = defaultdict(int)


def timed(name, func):
    """func, timed under name; a call inside another call of the same timer is not counted twice."""

    def wrapper(*args, **kwargs):
        depth[name] += 1
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            depth[name] -= 1
            if not depth[name]:
                timers[name] += (time.perf_counter() - start) * 1000
                counts[name] += 1

    wrapper.__wrapped__ = func
    return wrapper


def patch(owner, attr, name):
    ORDER.append(name)
    setattr(owner, attr, timed(name, getattr(owner, attr)))


def sql_kind(sql):
    s = " ".join(sql.split())
    m = re.match(r'(SELECT|INSERT INTO|UPDATE|DELETE FROM|SAVEPOINT|RELEASE SAVEPOINT)\s*(?:.*? FROM )?"?(\w+)"?', s)
    if not m:
        return s[:40]
    verb, table = m.groups()
    if verb.startswith("SELECT"):
        table_m = re.search(r' FROM "(\w+)"', s)
        table = table_m.group(1) if table_m else table
    return f"{verb.split()[0]} {table}"


def sql_wrapper(execute, sql, params, many, context):
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        ms = (time.perf_counter() - start) * 1000
        timers["sql"] += ms
        counts["sql"] += 1
        key = f"sql: {sql_kind(sql)}"
        timers[key] += ms
        counts[key] += 1


def install_timers():
    patch(CsrfViewMiddleware, "process_view", "CSRF check (middleware)")
    patch(CsrfViewMiddleware, "process_response", "CSRF cookie (middleware)")
    patch(SessionStore, "load", "session load")
    patch(ratelimit, "allow", "rate limiter")
    patch(pforms.SubmissionForm, "__init__", "form construction")
    patch(pforms.SubmissionForm, "full_clean", "form validation")
    patch(sanitize, "clean_text", "  sanitize.clean_text (in validation)")
    patch(sanitize, "_strip_tags", "    bleach (in clean_text)")
    patch(sanitize, "_visible", "    _visible (in clean_text)")
    patch(services, "submission_create", "submission_create (one transaction)")
    patch(Template, "render", "template render (page)")
    patch(Widget, "render", "  form widgets (in template render)")
    patch(ChoiceWidget, "optgroups", "    choices: querysets → options (in widgets)")
    patch(BaseRenderer, "render", "    widget templates (in widgets)")
    patch(SessionStore, "save", "session save")
    patch(connection, "commit", "COMMIT (submission_create's and the session save's)")


@contextmanager
def measuring():
    timers.clear()
    counts.clear()
    start = time.perf_counter()
    with connection.execute_wrapper(sql_wrapper):
        yield
    timers["total"] = (time.perf_counter() - start) * 1000


def one_round(client, marker, n):
    with measuring():
        response = client.get("/feedback/")
    assert response.status_code == 200, response.status_code
    get = (dict(timers), dict(counts))
    token = CSRF_INPUT.search(response.content.decode()).group(1)
    data = {
        "csrfmiddlewaretoken": token,
        "kind": ["opinion", "report", "question"][n % 3],
        "domain": "",
        "task": "",
        "title": f"{marker}-{n:05d} 关于幼儿园收费的意见",
        "content": CONTENT,
        "publish_allowed": "on",
        "contact_name": "陈先生",
        "contact_phone": "0750-5565827",
        "contact_email": "bench@example.com",
        "website": "",
    }
    with measuring():
        response = client.post("/feedback/", data)
    assert response.status_code == 302 and response["Location"].endswith("/feedback/thanks/"), (
        response.status_code,
        response.content[:500],
    )
    return get, (dict(timers), dict(counts))


def medians(samples):
    keys = sorted({k for s in samples for k in s[0]})
    out = {}
    for k in keys:
        out[k] = (
            statistics.median(s[0].get(k, 0.0) for s in samples),
            statistics.median(s[1].get(k, 0) for s in samples),
        )
    return out


def table(title, figures):
    lines = [f"{title}", "", "| part | median ms | calls |", "|---|---:|---:|"]
    sql = sorted(k for k in figures if k.startswith("sql: "))
    for k in ["total", *ORDER, "sql", *sql]:
        if k in figures:
            ms, n = figures[k]
            calls = "" if k == "total" else f"{n:g}"
            name = {"total": "**whole request**", "sql": "SQL, all statements"}.get(k, k.replace("sql: ", "  SQL "))
            lines.append(f"| {name.replace('  ', '· ')} | {ms:.2f} | {calls} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--run", default=time.strftime("%Y%m%d%H%M%S"))
    parser.add_argument("--pstats", help="write cProfile's statistics here")
    parser.add_argument("--json", help="write the medians here")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()

    marker = f"BENCHPROF-{args.run}"
    client = Client(enforce_csrf_checks=True, HTTP_HOST="127.0.0.1")
    install_timers()
    for i in range(args.warmup):
        one_round(client, marker + "w", i)
    rounds = [one_round(client, marker, i) for i in range(args.rounds)]
    get_m = medians([r[0] for r in rounds])
    post_m = medians([r[1] for r in rounds])

    settings_name = os.environ["DJANGO_SETTINGS_MODULE"]
    print(f"In-process, one client, {args.rounds} rounds after {args.warmup} warm-up, settings {settings_name}")
    print()
    print(table("GET /feedback/ (render the form: CSRF cookie + token)", get_m))
    print()
    print(table("POST /feedback/ (validate, save, redirect)", post_m))
    g, p = get_m["total"][0], post_m["total"][0]
    print()
    print(
        f"Round GET + POST: {g + p:.1f} ms of one core's time in Django alone, i.e. at most {1000 / (g + p):.0f} "
        f"accepted/s per fully busy core (before gunicorn, HTTP parsing, PostgreSQL's own CPU and the load generator)."
    )

    # cProfile over a fresh set of rounds (the timers stay: their cost is a few µs per call).
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(args.rounds):
        one_round(client, marker + "p", i)
    profiler.disable()
    for sort in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(sort)
        stats.print_stats(args.top)
        text = out.getvalue()
        body = text[text.find("   ncalls") :]
        print()
        print(f"cProfile, {args.rounds} rounds (GET + POST), top {args.top} by {sort} time:")
        print(body.rstrip())
    if args.pstats:
        profiler.dump_stats(args.pstats)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"get": get_m, "post": post_m, "rounds": args.rounds}, f, indent=2)


if __name__ == "__main__":
    main()
