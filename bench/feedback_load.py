"""Sustained feedback submissions against a running server, then a check that each one was saved.

    python bench/feedback_load.py --base http://127.0.0.1:8765 --run RUN [--clients 20] [--duration 30]
        [--dsn postgres://…/portal_feedback_bench] [--json out.json] [--label "2 sync workers"]

Each client is a thread with its own http.client connection and its own cookies (a browser session):
it loops GET /feedback/ (the form; takes the csrftoken cookie and the csrfmiddlewaretoken hidden
input from it) then POST /feedback/ with a complete, valid submission, until --duration seconds have
passed since all clients started together; the round in flight then finishes. A POST answered with
302 to /feedback/thanks/ is *accepted*; the redirect is not followed (the thanks page is not what is
measured). Every POST has a unique title that starts with the marker `BENCH-<run>-c<client>-<n>`, so
after the run the database can be asked which submissions arrived: with --dsn, every accepted marker
must be there exactly once, nothing else of this run may be there (a POST that failed on the client
side but was saved anyway shows up as "saved without a 302"), numbers must be set and distinct, and
each submission must have its one "received" event.

With --form-once a client GETs the form only in its warm-up and then only POSTs (the masked token
from that form stays valid as long as the csrftoken cookie does): the submission path alone, to
tell the cost of the form page from the cost of saving.

Before the clock starts, --warmup rounds per client (2) use the marker `BENCHWARM-<run>-…`: they load
the workers' code and templates and open their database connections, and are not counted or checked.
Latency is from sending a request to the last byte of its answer; accepted/s is accepted POSTs over
the time from the start until the last client finished. gunicorn's sync workers answer "Connection:
close", so http.client reconnects for each request; gthread workers keep the connection alive. A
GET that fails on a reused connection (the server closed it while idle) is retried once; a POST is
never retried (it might have been saved), it is counted as a client error.
Only loopback addresses are accepted as targets.
"""

import argparse
import http.client
import json
import random
import re
import resource
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from latency import loopback_only, percentile  # noqa: E402

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DOMAIN_SELECT = re.compile(r'<select name="domain"[^>]*>(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
FIELD_ERRORS = re.compile(r'class="(?:field-errors|form-errors)"[^>]*>(.*?)</div>', re.S)
TAGS = re.compile(r"<[^>]+>")
RETRYABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)

KINDS = ["opinion", "report", "question"]
TOPICS = ["幼儿园收费", "社区卫生服务中心排队", "养老服务补贴发放", "公交线路调整", "就业培训报名", "学校午餐"]
# Plain text as residents type it: a few sentences, line breaks, full-width punctuation, a number or two.
PARAGRAPHS = [
    "我是台城街道的居民,孩子今年九月上幼儿园。公办园学位太紧张,报名当天就满了,民办园每月收费两千多元,"
    "对我们普通家庭负担很重。希望政府能增加公办学位,或者对普惠性民办园给予更多补贴。",
    "社区卫生服务中心上午看病要排很久的队,老人站着等一个多小时。建议增加周末门诊,"
    "并在候诊区多放一些座椅。另外网上预约的号源太少,能否开放更多?",
    "请问高龄津贴的申请条件是什么?我父亲今年八十一岁,户籍在四九镇,之前在村委会问过,"
    "说要等通知,已经过去三个月了,不知道现在办理到哪一步。",
    "12路公交车调整线路后,不再经过人民医院,老年人去医院要转两次车。\n希望恢复原线路,"
    "或者在高峰时段增开一趟直达医院的班车。谢谢!",
    "就业培训的报名网页打不开,电话也一直占线。我想报名电工培训,请问还有名额吗?报名截止日期是哪天?需要带哪些材料?",
    "学校午餐的价格从每餐8元涨到了12元,但饭菜质量没有明显提高。希望公开餐费的构成,并听取家长的意见。",
]
NAMES = ["陈先生", "李女士", "黄伟", "伍小梅", "刘建国", "谭女士", ""]


def lat_summary(values):
    if not values:
        return None
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values),
        "mean": statistics.fmean(values),
    }


class Client(threading.Thread):
    """One resident's browser: its own connection and cookies, GET form then POST, in a loop."""

    def __init__(self, number, args, host, port, start, deadline_holder):
        super().__init__(name=f"client-{number}", daemon=True)
        self.number = number
        self.args = args
        self.host, self.port = host, port
        self.origin = f"http://{host}:{port}"
        self.start_event = start
        self.deadline_holder = deadline_holder
        self.conn = http.client.HTTPConnection(host, port, timeout=args.timeout)
        self.cookies = {}
        self.form = None
        self.rng = random.Random(f"{args.run}-{number}")
        self.n = 0
        # Results.
        self.get_ms, self.post_ms, self.round_ms = [], [], []
        self.get_status, self.post_status = Counter(), Counter()
        self.accepted = []  # (marker, seconds since start at the end of the POST)
        self.unsure = []  # markers of POSTs that failed on the client side: saved or not
        self.errors = Counter()
        self.samples = {}  # one example answer per kind of failure
        self.t0 = 0.0

    # -- HTTP -------------------------------------------------------------------------------------------
    def _headers(self):
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "portal-bench-feedback/1",
            "Accept-Encoding": "identity",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _take_cookies(self, response):
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value

    def _exchange(self, method, path, body=None, extra=None):
        """One request; returns (status, headers, body, ms). Raises on a transport error."""
        headers = self._headers()
        headers.update(extra or {})
        reused = self.conn.sock is not None
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except RETRYABLE:
            self.conn.close()
            if method != "GET" or not reused:
                raise
            start = time.perf_counter()  # the server closed an idle keep-alive connection: once more
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        self._take_cookies(response)
        if response.will_close:
            self.conn.close()
        return response.status, response.headers, data, elapsed

    # -- one round --------------------------------------------------------------------------------------
    def _submission(self, marker, token, domains):
        rng = self.rng
        topic = rng.choice(TOPICS)
        data = {
            "csrfmiddlewaretoken": token,
            "kind": rng.choice(KINDS),
            "domain": rng.choice(domains + [""]) if domains else "",
            "task": "",
            "title": f"{marker} 关于{topic}的{rng.choice(['意见', '建议', '问题', '咨询'])}",
            "content": "\n".join(rng.sample(PARAGRAPHS, rng.randint(1, 3))),
            "contact_name": rng.choice(NAMES),
            "contact_phone": rng.choice(["0750-5565827", "138 0000 1234", "13900001111", "0750 552 1234", ""]),
            "contact_email": rng.choice([f"bench{self.number}@example.com", ""]),
            "website": "",  # the honeypot, left empty as people do
        }
        if self.args.captcha_token:  # what the reCAPTCHA widget would put in the form
            data["g-recaptcha-response"] = self.args.captcha_token
        if rng.random() < 0.7:
            data["publish_allowed"] = "on"
        return urlencode(data)

    def _form(self, record):
        """GET /feedback/: (token, domain pks, ms), or None when it failed."""
        try:
            status, _, body, get_ms = self._exchange("GET", "/feedback/")
        except (OSError, http.client.HTTPException) as error:
            self._fail("GET transport", repr(error), record)
            return None
        if record:
            self.get_ms.append(get_ms)
            self.get_status[status] += 1
        html = body.decode("utf-8", "replace")
        token = CSRF_INPUT.search(html)
        if status != 200 or not token or "csrftoken" not in self.cookies:
            self._fail(f"GET {status}", html[:300], record)
            return None
        select = DOMAIN_SELECT.search(html)
        return token.group(1), OPTION_VALUE.findall(select.group(1)) if select else [], get_ms

    def round(self, marker, record):
        if self.args.form_once and self.form:  # the token of the first form stays valid for the cookie
            token, domains, _ = self.form
            get_ms = 0.0
        else:
            self.form = self._form(record)
            if not self.form:
                return
            token, domains, get_ms = self.form
        payload = self._submission(marker, token, domains).encode()
        extra = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.origin,
            "Referer": f"{self.origin}/feedback/",
        }
        try:
            status, headers, body, post_ms = self._exchange("POST", "/feedback/", payload, extra)
        except (OSError, http.client.HTTPException) as error:
            if record:
                self.unsure.append(marker)
            self._fail("POST transport", repr(error), record)
            return
        if not record:
            return
        self.post_ms.append(post_ms)
        self.round_ms.append(get_ms + post_ms)
        location = headers.get("Location", "")
        if status == 302 and location.rstrip("/").endswith("/feedback/thanks"):
            self.post_status["302 accepted"] += 1
            self.accepted.append((marker, time.monotonic() - self.t0))
        else:
            kind = f"{status} {location}".strip()
            self.post_status[kind] += 1
            text = body.decode("utf-8", "replace")
            errors = [TAGS.sub(" ", e).split() for e in FIELD_ERRORS.findall(text)]
            self.samples.setdefault(f"POST {kind}", " | ".join(" ".join(e) for e in errors) or text[:300])

    def _fail(self, kind, detail, record):
        if record:
            self.errors[kind] += 1
        self.samples.setdefault(kind, detail)
        if not record and self.args.strict_warmup:
            raise SystemExit(f"warm-up failed: {kind}: {detail}")

    def run(self):
        try:
            for _ in range(self.args.warmup):
                self.n += 1
                self.round(f"BENCHWARM-{self.args.run}-c{self.number:02d}-{self.n:05d}", record=False)
            self.start_event.wait()
            self.t0 = self.deadline_holder["t0"]
            deadline = self.deadline_holder["deadline"]
            self.n = 0
            while time.monotonic() < deadline:
                self.n += 1
                self.round(f"BENCH-{self.args.run}-c{self.number:02d}-{self.n:05d}", record=True)
        finally:
            self.conn.close()


def verify(dsn, run, accepted, unsure):
    """Ask PostgreSQL which submissions of this run exist, and compare with what the clients saw."""
    import psycopg

    like = f"BENCH-{run}-%"
    with psycopg.connect(dsn, connect_timeout=10) as conn:
        rows = conn.execute(
            """
            SELECT split_part(s.title, ' ', 1), s.number,
                   (SELECT count(*) FROM participation_submissionevent e WHERE e.submission_id = s.id
                      AND e.status = 'received')
            FROM participation_submission s WHERE s.title LIKE %s
            """,
            [like],
        ).fetchall()
        total, distinct = conn.execute(
            "SELECT count(*), count(DISTINCT number) FROM participation_submission WHERE title LIKE %s", [like]
        ).fetchone()
        pattern_ok = conn.execute(
            r"SELECT count(*) FROM participation_submission WHERE title LIKE %s AND number ~ '^TS[0-9]{4}[0-9]{7,}$'",
            [like],
        ).fetchone()[0]
        try:  # background tasks each submission queued (Wagtail's reference index; a db_worker runs them)
            tasks = conn.execute(
                """
                SELECT count(*) FROM django_tasks_database_dbtaskresult t
                WHERE t.args_kwargs -> 'args' ->> 1 = 'submission' AND (t.args_kwargs -> 'args' ->> 2) IN
                  (SELECT id::text FROM participation_submission WHERE title LIKE %s)
                """,
                [like],
            ).fetchone()[0]
        except psycopg.Error:
            conn.rollback()
            tasks = None
    markers = Counter(r[0] for r in rows)
    accepted_set = set(accepted)
    missing = sorted(accepted_set - set(markers))
    extra = sorted(set(markers) - accepted_set)
    saved_unsure = sorted(set(extra) & set(unsure))
    out = {
        "db_rows": total,
        "db_distinct_numbers": distinct,
        "db_null_numbers": sum(1 for r in rows if r[1] is None),
        "db_numbers_wrong_format": total - pattern_ok,
        "db_without_one_received_event": sum(1 for r in rows if r[2] != 1),
        "db_duplicate_titles": sum(c - 1 for c in markers.values() if c > 1),
        "accepted": len(accepted),
        "accepted_duplicate_markers": len(accepted) - len(accepted_set),
        "missing": len(missing),
        "missing_sample": missing[:5],
        "saved_without_302": len(extra),
        "saved_without_302_sample": extra[:5],
        "saved_after_client_error": len(saved_unsure),
        "client_errors_not_saved": len(set(unsure) - set(markers)),
        "tasks_queued": tasks,
    }
    out["ok"] = (
        total == len(accepted)
        and distinct == total
        and not missing
        and not extra
        and not out["db_null_numbers"]
        and not out["db_numbers_wrong_format"]
        and not out["db_without_one_received_event"]
        and not out["db_duplicate_titles"]
    )
    return out


def fmt(summary):
    if not summary:
        return "-"
    return f"{summary['p50']:.1f} / {summary['p95']:.1f} / {summary['p99']:.1f} / {summary['max']:.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--run", required=True, help="marker for this run's titles (letters, digits, -)")
    parser.add_argument("--label", default="", help="the server configuration, for the report")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--warmup", type=int, default=2, help="uncounted rounds per client before the clock starts")
    parser.add_argument("--timeout", type=float, default=30.0, help="socket timeout per request, seconds")
    parser.add_argument("--dsn", help="PostgreSQL URL of the server's database: check every accepted submission")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument(
        "--form-once",
        action="store_true",
        help="GET the form once per client (in the warm-up), then only POST: the submission path alone",
    )
    parser.add_argument("--captcha-token", default="", help="send this reCAPTCHA token (the server has keys set)")
    parser.add_argument("--strict-warmup", action="store_true", help="stop at once when a warm-up round fails")
    args = parser.parse_args()
    if not re.fullmatch(r"[A-Za-z0-9-]+", args.run):
        sys.exit("--run: letters, digits and '-' only")

    url = urlsplit(args.base)
    loopback_only(url.hostname)
    port = url.port or 80
    start = threading.Event()
    holder = {}
    clients = [Client(i + 1, args, url.hostname, port, start, holder) for i in range(args.clients)]
    for client in clients:
        client.start()
    # Warm-up runs before the clock: wait for every client to be done with it (bounded).
    warm_deadline = time.monotonic() + 60 + 5 * args.warmup
    while any(c.n < args.warmup and c.is_alive() for c in clients) and time.monotonic() < warm_deadline:
        time.sleep(0.05)
    holder["t0"] = time.monotonic()
    holder["deadline"] = holder["t0"] + args.duration
    start.set()
    for client in clients:
        client.join(timeout=args.duration + args.timeout * 2 + 30)
    elapsed = time.monotonic() - holder["t0"]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    hung = [c.name for c in clients if c.is_alive()]

    get_ms = [x for c in clients for x in c.get_ms]
    post_ms = [x for c in clients for x in c.post_ms]
    round_ms = [x for c in clients for x in c.round_ms]
    accepted = [m for c in clients for m, _ in c.accepted]
    unsure = [m for c in clients for m in c.unsure]
    per_second = Counter(int(t) for c in clients for _, t in c.accepted)
    seconds = [per_second.get(s, 0) for s in range(int(args.duration))]
    get_status, post_status, errors, samples = Counter(), Counter(), Counter(), {}
    for c in clients:
        get_status.update(c.get_status)
        post_status.update(c.post_status)
        errors.update(c.errors)
        for k, v in c.samples.items():
            samples.setdefault(k, v)
    per_client = [len(c.accepted) for c in clients]

    result = {
        "label": args.label,
        "form_once": args.form_once,
        "run": args.run,
        "base": args.base,
        "clients": args.clients,
        "duration_s": args.duration,
        "elapsed_s": elapsed,
        "accepted": len(accepted),
        "accepted_per_s": len(accepted) / elapsed if elapsed else 0.0,
        "accepted_per_s_each_second": {
            "min": min(seconds, default=0),
            "median": statistics.median(seconds) if seconds else 0,
            "max": max(seconds, default=0),
        },
        "accepted_per_client": {"min": min(per_client), "max": max(per_client)},
        "posts": sum(post_status.values()) + errors["POST transport"],
        "get_status": dict(get_status),
        "post_status": dict(post_status),
        "client_errors": dict(errors),
        "samples": samples,
        "hung_clients": hung,
        "client_cpu_s": usage.ru_utime + usage.ru_stime,
        "get_ms": lat_summary(get_ms),
        "post_ms": lat_summary(post_ms),
        "round_ms": lat_summary(round_ms),
    }
    if args.dsn:
        result["db"] = verify(args.dsn, args.run, accepted, unsure)

    rejected = {k: v for k, v in post_status.items() if k != "302 accepted"}
    label = args.label or "server"
    print(f"{label}: {args.clients} clients, {args.duration:.0f} s (elapsed {elapsed:.1f} s), run {args.run}")
    print()
    print("| figure | value |")
    print("|---|---:|")
    print(f"| accepted submissions (302 → /feedback/thanks/) | {len(accepted)} |")
    print(f"| **accepted per second** | **{result['accepted_per_s']:.1f}** |")
    each = result["accepted_per_s_each_second"]
    print(f"| accepted in each 1-s slice: min / median / max | {each['min']} / {each['median']:g} / {each['max']} |")
    print(f"| accepted per client: min / max | {min(per_client)} / {max(per_client)} |")
    print(f"| POST not accepted (status: count) | {', '.join(f'{k}: {v}' for k, v in rejected.items()) or 'none'} |")
    print(f"| GET not 200 | {sum(v for k, v in get_status.items() if k != 200) or 'none'} |")
    print(f"| client-side errors | {', '.join(f'{k}: {v}' for k, v in errors.items()) or 'none'} |")
    print(f"| GET /feedback/ ms p50 / p95 / p99 / max | {fmt(result['get_ms'])} |")
    print(f"| POST /feedback/ ms p50 / p95 / p99 / max | {fmt(result['post_ms'])} |")
    if not args.form_once:
        print(f"| round (GET + POST) ms p50 / p95 / p99 / max | {fmt(result['round_ms'])} |")
    print(f"| load generator's own CPU, whole run incl. warm-up | {result['client_cpu_s']:.1f} s |")
    if "db" in result:
        db = result["db"]
        print(f"| in the database: rows / distinct numbers | {db['db_rows']} / {db['db_distinct_numbers']} |")
        print(f"| accepted but missing / saved without a 302 | {db['missing']} / {db['saved_without_302']} |")
        print(
            f"| null or malformed numbers / without one 'received' event | "
            f"{db['db_null_numbers'] + db['db_numbers_wrong_format']} / {db['db_without_one_received_event']} |"
        )
        if db["tasks_queued"] is not None:
            print(f"| background tasks queued for them (django_tasks_database) | {db['tasks_queued']} |")
        print(f"| **database check** | **{'PASS' if db['ok'] else 'FAIL'}** |")
    for kind, detail in samples.items():
        print(f"  sample {kind}: {detail[:200]}")
    if hung:
        print(f"  WARNING: clients still running at the end: {', '.join(hung)}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2, ensure_ascii=False)
    failed = hung or ("db" in result and not result["db"]["ok"]) or not accepted
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
