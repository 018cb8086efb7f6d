"""Figures table from one bench/feedback.sh run: python bench/feedback_report.py RESULTS_DIR.

Reads load-*.json (written by feedback_load.py, one per server configuration, in the order they ran)
and machine.txt, prints one table, checks the target of bench/README.md (≥ 100 accepted submissions
per second from 20 clients for 30 s, every one of them in the database) and writes summary.md.
Exit status 1 when a database check failed or a run has no result; a missed throughput target is
reported, not an error. The target is checked on the first configuration (feedback.sh runs
sustained submissions on 2 sync workers first); the others are reported against it.
"""

import json
import re
import sys
from pathlib import Path

TARGET_PER_S = 100


def ms(summary, key):
    return f"{summary[key]:.0f}" if summary else "-"


def main():
    results = Path(sys.argv[1])
    runs = [json.loads(p.read_text()) for p in sorted(results.glob("load-*.json"))]
    machine = results / "machine.txt"
    notes = [line.strip() for line in machine.read_text().splitlines() if line.strip()] if machine.exists() else []
    lines = [
        "| server | accepted/s | accepted | 1-s slices min–max | per client min–max | POST p50 / p95 / p99 ms "
        "| GET p50 / p95 / p99 ms | not accepted | DB rows / distinct numbers | DB check | other work |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    problems, met = [], []
    for r in runs:
        db = r.get("db")
        db_counts = f"{db['db_rows']} / {db['db_distinct_numbers']}" if db else "-"
        rejected = sum(v for k, v in r["post_status"].items() if k != "302 accepted") + sum(r["client_errors"].values())
        slices = r["accepted_per_s_each_second"]
        post, get = r["post_ms"], r["get_ms"]
        per_client = r["accepted_per_client"]
        # cpuwatch.py's line for this load: how much of the machine other work took meanwhile.
        other = "-"
        for note in notes:
            if note.startswith(f"load {r['label']}:") and (m := re.search(r"\((\d+)% of the machine\)", note)):
                other = f"{m.group(1)} %"
        lines.append(
            f"| {r['label']} | **{r['accepted_per_s']:.1f}** | {r['accepted']} | {slices['min']}–{slices['max']} "
            f"| {per_client['min']}–{per_client['max']} "
            f"| {ms(post, 'p50')} / {ms(post, 'p95')} / {ms(post, 'p99')} "
            f"| {ms(get, 'p50')} / {ms(get, 'p95')} / {ms(get, 'p99')} | {rejected} "
            f"| {db_counts} "
            f"| {('PASS' if db['ok'] else 'FAIL') if db else 'not run'} | {other} |"
        )
        if db and not db["ok"]:
            problems.append(f"{r['label']}: database check failed: {json.dumps(db, ensure_ascii=False)}")
        if rejected:
            problems.append(
                f"{r['label']}: {rejected} POSTs not accepted: {r['post_status']} {r['client_errors']} {r['samples']}"
            )
        (met if r["accepted_per_s"] >= TARGET_PER_S else []).append(r["label"])

    text = ["## Feedback form under load", ""]
    code = results / "code.txt"
    if code.exists():
        text += [f"Code: {code.read_text().strip()}.", ""]
    if notes:
        text += ["Machine:", ""] + [f"- {note}" for note in notes] + [""]
    text += lines + [""]
    if runs:
        first = runs[0]
        verdict = "met" if first["label"] in met else "missed"
        text.append(
            f"Target (≥ {TARGET_PER_S} accepted/s, {first['clients']} clients, {first['duration_s']:.0f} s, "
            f"{first['label']}): **{verdict}** at {first['accepted_per_s']:.1f}/s."
        )
        for r in runs[1:]:
            verdict = "meets" if r["label"] in met else "misses"
            text.append(f"- {r['label']}: {r['accepted_per_s']:.1f}/s ({verdict} the target).")
    else:
        problems.append("no load results")
    if problems:
        text += ["", "Flags:"] + [f"- {p}" for p in problems]
    out = "\n".join(text)
    print(out)
    (results / "summary.md").write_text(out + "\n")
    failed = not runs or any(r.get("db") and not r["db"]["ok"] for r in runs)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
