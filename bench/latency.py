"""Sequential latency of public pages against a running server (gunicorn, started by bench/run.sh).

    python bench/latency.py --base http://127.0.0.1:8765 [--warmup 20] [--requests 200] [URL ...]

One client, one request at a time, so the figure is the server's own render time plus loopback,
with no queueing. The URLs take turns (round-robin), so a burst of other work on the machine
affects them alike. Each request is timed from sending to the last byte of the body. The client
keeps one http.client connection per URL; gunicorn's sync workers answer with "Connection: close",
so http.client reconnects for each request (a loopback connect costs well under 0.1 ms).
Only loopback addresses are accepted as targets.
"""

import argparse
import http.client
import ipaddress
import json
import statistics
import sys
import time
from urllib.parse import urlsplit

DEFAULT_PATHS = ["/", "/education/", "/employment/", "/education/task-1/edu-01/"]


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil(n * p / 100)
    return ordered[int(rank) - 1]


def loopback_only(host):
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        if host == "localhost":
            return
    sys.exit(f"refusing to benchmark {host!r}: only loopback addresses are allowed")


class Target:
    """One URL, with its own connection and timings."""

    def __init__(self, host, port, path, timeout):
        self.path = path
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.headers = {"Host": host, "Accept-Encoding": "identity", "User-Agent": "portal-bench/1"}
        self.times = []
        self.size = 0

    def get(self, record):
        start = time.perf_counter()
        self.conn.request("GET", self.path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status != 200:
            raise SystemExit(f"{self.path}: HTTP {response.status} (expected 200); body starts {body[:200]!r}")
        if record:
            self.times.append(elapsed)
        self.size = len(body)


def measure(host, port, paths, warmup, count, timeout):
    """Round-robin over the URLs, so a burst of other work on the machine hits them all alike."""
    targets = [Target(host, port, path, timeout) for path in paths]
    try:
        for i in range(warmup + count):
            for target in targets:
                target.get(record=i >= warmup)
    finally:
        for target in targets:
            target.conn.close()
    return targets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=DEFAULT_PATHS)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    base = urlsplit(args.base)
    host, port = base.hostname, base.port or 80
    loopback_only(host)

    print(f"latency: {args.warmup} warm-up + {args.requests} timed requests per URL, sequential, round-robin")
    print(f"{'url':<32} {'median ms':>10} {'p95 ms':>8} {'min ms':>8} {'max ms':>8} {'bytes':>8}")
    figures = {}
    for target in measure(host, port, args.paths, args.warmup, args.requests, args.timeout):
        path, times, size = target.path, target.times, target.size
        row = {
            "median_ms": statistics.median(times),
            "p95_ms": percentile(times, 95),
            "min_ms": min(times),
            "max_ms": max(times),
            "bytes": size,
            "requests": len(times),
        }
        figures[path] = row
        print(
            f"{path:<32} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
            f"{row['min_ms']:>8.1f} {row['max_ms']:>8.1f} {size:>8}",
            flush=True,
        )
    if args.json:
        with open(args.json, "w") as out:
            json.dump(figures, out, indent=2)


if __name__ == "__main__":
    main()
