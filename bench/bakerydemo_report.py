"""Figures table of one bench/bakerydemo.sh run: python bench/bakerydemo_report.py RESULTS_DIR [--seconds N].

Reads what the run left in RESULTS_DIR (latency.json of bench/latency.py, queries.json of
bench/bakerydemo_queries.py, wrk-*.txt, machine.txt, source.txt), prints one table with the versions
and the machine notes, and writes it to RESULTS_DIR.txt (bench/results/bakerydemo-<timestamp>.txt)
and the figures to RESULTS_DIR/figures.json, for a later side-by-side with bench/run.sh's figures.
Exit status 1 when wrk saw failed requests (an error page is fast and would flatter the figure).
"""

import argparse
import json
import re
from pathlib import Path

from report import wrk_figures  # bench/report.py, beside this file


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--seconds", type=int, help="the whole run's time, for the record")
    args = parser.parse_args()
    results = Path(args.results)

    latency = json.loads((results / "latency.json").read_text())
    queries = json.loads((results / "queries.json").read_text())
    versions, counts = queries["versions"], queries["pages"]
    wrk = {}
    for file in sorted(results.glob("wrk-*.txt")):
        text = file.read_text()
        url = re.search(r"Running .* test @ \S+?//[^/]+(/\S*)", text)
        wrk[url.group(1) if url else file.stem] = wrk_figures(text)

    head = (
        f"bakerydemo {versions.get('bakerydemo', '?')}: Wagtail {versions['wagtail']}, Django {versions['django']}, "
        f"Python {versions['python']}, psycopg {versions['psycopg']}; gunicorn {versions['gunicorn']} -w 2 (sync), "
        f"{versions['settings']} (DEBUG {versions['debug']}), PostgreSQL on loopback, no cache middleware"
    )
    lines = [
        "| page | median ms | p95 ms | min / max ms | bytes | SQL first / warm | in-process req / sql ms "
        "| wrk req/s | wrk p50 / p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    problems, wrk_notes = [], []
    for path in dict.fromkeys(list(latency) + list(counts) + list(wrk)):
        lat, q, w = latency.get(path, {}), counts.get(path, {}), wrk.get(path, {})
        cells = [
            f"`{path}`",
            f"{lat['median_ms']:.1f}" if lat else "-",
            f"{lat['p95_ms']:.1f}" if lat else "-",
            f"{lat['min_ms']:.1f} / {lat['max_ms']:.1f}" if lat else "-",
            str(lat.get("bytes", "-")),
            f"{q['first']} / {q['warm']}" if q else "-",
            f"{q['req_ms']:.1f} / {q['sql_ms']:.1f}" if q else "-",
            f"{w['rps']:.1f}" if "rps" in w else "-",
            f"{w.get('p50', '-')} / {w.get('p99', '-')}" if w else "-",
        ]
        lines.append("| " + " | ".join(cells) + " |")
        if w.get("non2xx") or w.get("socket_errors"):
            problems.append(f"{path}: wrk saw {w['non2xx']} non-2xx responses, socket errors {w['socket_errors']}")
        if "rps" in w:
            wrk_notes.append(
                f"wrk {path}: {w['rps']:.1f} req/s, {w.get('requests')} requests in {w.get('duration')}; latency avg "
                f"{w.get('avg')} stdev {w.get('stdev')} max {w.get('max')}; p50 {w.get('p50')} p75 {w.get('p75')} "
                f"p90 {w.get('p90')} p99 {w.get('p99')}; non-2xx {w.get('non2xx')}"
            )

    machine = results / "machine.txt"
    timed = next(iter(latency.values()), {}).get("requests", "?")
    notes = [
        f"latency: bench/latency.py, 20 warm-up then {timed} timed requests, one at a time, sending to last byte",
        "wrk: -t2 -c8 --latency, 8 connections on 2 workers (its latency is mostly queueing)",
        *wrk_notes,
        *(machine.read_text().strip().splitlines() if machine.exists() else []),
    ]
    if args.seconds is not None:
        notes.append(f"whole run {args.seconds} s")
    text = "\n".join([head, "", *lines, "", *(f"- {n}" for n in notes + problems)]) + "\n"
    print(text, end="")
    if problems:
        print("\nflags:\n" + "\n".join(f"  {p}" for p in problems))
    (results.parent / f"{results.name}.txt").write_text(text, encoding="utf-8")
    figures = {"versions": versions, "latency": latency, "queries": counts, "wrk": wrk, "seconds": args.seconds}
    (results / "figures.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
