"""Figures table from one bench/run.sh run: python bench/report.py RESULTS_DIR.

Reads latency.json and queries.json (written by latency.py and queries.py) and wrk-*.txt (wrk's
own output), prints one table, checks the targets of bench/README.md, and writes summary.md.
"""

import json
import re
import sys
from pathlib import Path

TARGET_MS = 30  # median of an uncached domain page, 2 gunicorn workers
TARGET_QUERIES = 15


def wrk_figures(text):
    """Requests/s, latency avg/stdev/max and percentiles, errors, from wrk --latency output."""
    out = {}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", text):
        out["rps"] = float(m.group(1))
    if m := re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M):
        out["avg"], out["stdev"], out["max"] = m.groups()
    for pct in ("50", "75", "90", "99"):
        if m := re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M):
            out[f"p{pct}"] = m.group(1)
    if m := re.search(r"(\d+) requests in ([\d.]+\w+)", text):
        out["requests"], out["duration"] = int(m.group(1)), m.group(2)
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors:(.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else ""
    return out


def main():
    results = Path(sys.argv[1])
    latency = json.loads((results / "latency.json").read_text())
    queries = json.loads((results / "queries.json").read_text())["pages"]
    wrk = {}
    for file in sorted(results.glob("wrk-*.txt")):
        text = file.read_text()
        url = re.search(r"Running .* test @ \S+?//[^/]+(/\S*)", text)
        wrk[url.group(1) if url else file.stem] = wrk_figures(text)

    lines = ["| page | median ms | p95 ms | queries first / warm / grown | wrk req/s | wrk p50 / p99 |"]
    lines.append("|---|---:|---:|---:|---:|---:|")
    problems = []
    for path in dict.fromkeys(list(latency) + list(queries)):
        lat, q, w = latency.get(path, {}), queries.get(path, {}), wrk.get(path, {})
        med = f"{lat['median_ms']:.1f}" if lat else "-"
        p95 = f"{lat['p95_ms']:.1f}" if lat else "-"
        counts = f"{q.get('first', '-')} / {q.get('warm', '-')} / {q.get('grown') or '-'}" if q else "-"
        rps = f"{w['rps']:.1f}" if "rps" in w else "-"
        wl = f"{w.get('p50', '-')} / {w.get('p99', '-')}" if w else "-"
        lines.append(f"| `{path}` | {med} | {p95} | {counts} | {rps} | {wl} |")
        for flag in q.get("flags", []):
            problems.append(f"{path}: queries {flag}")
        if w.get("non2xx") or w.get("socket_errors"):
            problems.append(f"{path}: wrk saw {w['non2xx']} non-2xx responses, socket errors {w['socket_errors']}")

    domain_rows = [(p, latency.get(p), queries.get(p)) for p in latency if p.count("/") == 2 and p != "/"]
    checks = []
    for path, lat, q in domain_rows:
        ok_ms = lat["median_ms"] <= TARGET_MS
        ok_q = q is not None and q["warm"] <= TARGET_QUERIES
        checks.append(
            f"{path}: median {lat['median_ms']:.1f} ms (target ≤ {TARGET_MS}) {'met' if ok_ms else 'MISSED'}; "
            f"{q['warm'] if q else '?'} warm queries (target ≤ {TARGET_QUERIES}) {'met' if ok_q else 'MISSED'}"
        )

    table = "\n".join(lines)
    print(table)
    if wrk:
        print("\nwrk -t2 -c8 -d10s --latency (full output in wrk-*.txt):")
        for path, w in wrk.items():
            print(
                f"  {path:<14} {w.get('rps', 0):>8.1f} req/s  {w.get('requests')} requests in {w.get('duration')}; "
                f"latency avg {w.get('avg')} stdev {w.get('stdev')} max {w.get('max')}; "
                f"p50 {w.get('p50')} p75 {w.get('p75')} p90 {w.get('p90')} p99 {w.get('p99')}; "
                f"non-2xx {w.get('non2xx')}"
            )
    return finish(results, table, checks, problems)


def finish(results, table, checks, problems) -> int:
    """Print the machine notes, the target checks and the flags; write summary.md.

    Returns the exit status: 1 when wrk saw failed requests (an error page is fast and would
    flatter the figure)."""
    machine = results / "machine.txt"
    if machine.exists():
        print("\nmachine: " + machine.read_text().strip().replace("\n", "\n  "))
    print("\ntargets:")
    for line in checks:
        print(f"  {line}")
    if problems:
        print("\nflags:")
        for line in problems:
            print(f"  {line}")
    notes = checks + problems + (machine.read_text().strip().splitlines() if machine.exists() else [])
    (results / "summary.md").write_text(table + "\n\n" + "\n".join(f"- {n}" for n in notes) + "\n", encoding="utf-8")
    return 1 if any("wrk saw" in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
