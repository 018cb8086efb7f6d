"""Sequential latency of the search view against a running server (gunicorn, started by bench/search.sh).

    python bench/search_latency.py --base http://127.0.0.1:8765 --expect-engine elasticsearch
        [--warmup-rounds 1] [--rounds 10] [--max-seconds S] [--json FILE]

A mix of 32 searches residents make (QUERIES: plan words, a resident's word with a synonym,
pinyin, traditional characters, a one-character typo; some with type/domain/year filters, a date
sort or page 2; seven as format=json), taken in turn: one round is every query once. First a
check pass asks each query once as JSON and records its total, engine and correction; then
`--warmup-rounds` untimed rounds; then `--rounds` timed rounds. With --max-seconds, a round starts
only if one more round as long as the previous one still ends within that many seconds of timed
requests (at least one round runs), for the slow engine.

One client, one request at a time, each timed from sending to the last byte, as bench/latency.py
does (gunicorn's sync workers close the connection after each response, so http.client
reconnects each time). Every response must be a 200 from the expected engine: a JSON response
must name it, and an HTML page must not carry the fallback notice when Elasticsearch is
expected; a response served by the other engine would make the figure meaningless, so the run
fails. Only loopback addresses are accepted as targets.
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from latency import loopback_only, percentile  # noqa: E402

# (query string after /search/?, group). Values are quoted when the URL is built.
QUERIES = [
    ("q=入园率", "html"),
    ("q=社保卡", "html"),
    ("q=jiaoyu", "html"),
    ("q=醫療保險", "html"),
    ("q=低保", "html"),
    ("q=幼儿园", "html"),
    ("q=残疾人", "html"),
    ("q=养老", "html"),
    ("q=就业", "html"),
    ("q=空气质量", "html"),
    ("q=公租房", "html"),
    ("q=义务教育", "html"),
    ("q=食品安全", "html"),
    ("q=最低生活保障", "html"),
    ("q=图书馆", "html"),
    ("q=农村公路", "html"),
    ("q=健康档案", "html"),
    ("q=入圆率", "html"),  # one wrong character: the did-you-mean path (a second search)
    ("q=入园率&type=indicator", "filtered"),
    ("q=就业&domain=就业保障", "filtered"),
    ("q=养老&type=update", "filtered"),
    ("q=教育&sort=date", "filtered"),
    ("q=医疗&year=2015", "filtered"),
    ("q=低保&type=task&domain=生活保障", "filtered"),
    ("q=就业&page=2", "filtered"),
    ("q=社保卡&format=json", "json"),
    ("q=jiaoyu&format=json", "json"),
    ("q=幼儿园&type=update&format=json", "json"),
    ("q=空气质量&format=json", "json"),
    ("q=残疾人&domain=生活保障&format=json", "json"),
    ("q=shebao&format=json", "json"),
    ("q=污水处理&format=json", "json"),
]
FALLBACK_NOTICE = "全文检索服务暂时不可用".encode()


def search_path(query):
    parts = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        parts.append(f"{name}={quote(value)}")
    return "/search/?" + "&".join(parts)


class Client:
    def __init__(self, host, port, timeout, engine):
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.headers = {"Host": host, "Accept-Encoding": "identity", "User-Agent": "portal-bench/1"}
        self.engine = engine

    def get(self, path):
        """(milliseconds to the last byte, body); exits on a non-200 or a wrong engine."""
        start = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status} (expected 200); body starts {body[:200]!r}")
        if "format=json" in path:
            engine = json.loads(body).get("engine")
            if engine != self.engine:
                raise SystemExit(f"{path}: answered by the {engine} engine, expected {self.engine}")
        elif self.engine == "elasticsearch" and FALLBACK_NOTICE in body:
            raise SystemExit(f"{path}: the page carries the fallback notice: Elasticsearch did not answer")
        return elapsed, body


def check(client, queries):
    """One JSON request per query: what it finds, and from which engine."""
    found = {}
    for query, _ in queries:
        path = search_path(query if "format=json" in query else query + "&format=json")
        _, body = client.get(path)
        data = json.loads(body)
        found[query] = {
            "total": data["total"],
            "engine": data["engine"],
            "corrected_from": data.get("corrected_from", ""),
            "shown_for": (data.get("suggestions") or [""])[0] if data.get("corrected_from") else "",
            "notice": data.get("notice", ""),
        }
    return found


def pad(text, width):
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


def summary(times):
    return {
        "requests": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 95),
        "mean_ms": statistics.fmean(times),
        "min_ms": min(times),
        "max_ms": max(times),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--expect-engine", choices=["elasticsearch", "database"], required=True)
    parser.add_argument("--warmup-rounds", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=0, help="time budget of the timed rounds (0: none)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    base = urlsplit(args.base)
    host, port = base.hostname, base.port or 80
    loopback_only(host)
    client = Client(host, port, args.timeout, args.expect_engine)
    paths = [(query, group, search_path(query)) for query, group in QUERIES]
    try:
        found = check(client, QUERIES)
        for _ in range(args.warmup_rounds):
            for _, _, path in paths:
                client.get(path)
        times = {query: [] for query, _, _ in paths}
        sizes = {}
        started = time.monotonic()
        rounds, last_round = 0, 0.0
        while rounds < args.rounds:
            # With a budget, start a round only if one more, as long as the last, fits in it.
            if rounds and args.max_seconds and time.monotonic() - started + last_round > args.max_seconds:
                break
            round_start = time.monotonic()
            for query, _, path in paths:
                elapsed, body = client.get(path)
                times[query].append(elapsed)
                sizes[query] = len(body)
            rounds += 1
            last_round = time.monotonic() - round_start
    finally:
        client.conn.close()

    every = [t for values in times.values() for t in values]
    groups = {}
    for query, group, _ in paths:
        groups.setdefault(group, []).extend(times[query])
    figures = {
        "engine": args.expect_engine,
        "rounds": rounds,
        "queries": len(paths),
        "warmup_rounds": args.warmup_rounds,
        "all": summary(every),
        "groups": {group: summary(values) for group, values in groups.items()},
        "per_query": {query: {**summary(times[query]), "bytes": sizes[query], **found[query]} for query, _, _ in paths},
    }
    a = figures["all"]
    print(
        f"search latency, {args.expect_engine} engine: {len(paths)} queries x {rounds} rounds = {a['requests']} "
        f"timed requests after {args.warmup_rounds} warm-up round(s), sequential"
    )
    print(f"{'':<40} {'requests':>8} {'median ms':>10} {'p95 ms':>8} {'mean ms':>8} {'min ms':>8} {'max ms':>8}")
    for label, row in [("all", a)] + [(f"  {g}", s) for g, s in figures["groups"].items()]:
        print(
            f"{label:<40} {row['requests']:>8} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row['mean_ms']:>8.1f} {row['min_ms']:>8.1f} {row['max_ms']:>8.1f}"
        )
    print("\nper query (slowest median first):")
    print(f"{'query':<40} {'median ms':>10} {'max ms':>8} {'results':>8} {'bytes':>8}")
    for query, row in sorted(figures["per_query"].items(), key=lambda item: -item[1]["median_ms"]):
        note = f"  (found nothing: results shown for {row['shown_for']})" if row["corrected_from"] else ""
        times = f"{row['median_ms']:>10.1f} {row['max_ms']:>8.1f}"
        print(f"{pad(query, 40)} {times} {row['total']:>8} {row['bytes']:>8}{note}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
