"""The figures of bench/cache.sh as one table: uncached against cached, and each against the static file.

python bench/cache_report.py RESULTS_DIR
"""

import json
import re
import sys
from pathlib import Path

TARGET_RATIO = 0.5  # cached pages' req/s against the static file's, in the same run
TARGET_RSS_MB = 150


def requests_per_second(path: Path) -> float | None:
    match = re.search(r"Requests/sec:\s+([\d.]+)", path.read_text()) if path.exists() else None
    return float(match.group(1)) if match else None


def non_2xx(path: Path) -> int:
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", path.read_text()) if path.exists() else None
    return int(match.group(1)) if match else 0


def slug(path: str) -> str:
    return re.sub(r"^-|-$", "", re.sub(r"[^a-z0-9\n]", "-", path)) or "home"


def main():
    results = Path(sys.argv[1])
    failed = False
    latency = {label: json.loads((results / f"latency-{label}.json").read_text()) for label in ("uncached", "cached")}
    static = {label: requests_per_second(results / f"wrk-{label}-static-css-site-css.txt") for label in latency}
    print(f"{'page':<28} {'uncached med/p95 ms':>20} {'cached med/p95 ms':>18} {'uncached rps':>13} {'cached rps':>11}")
    for path, row in latency["cached"].items():
        before = latency["uncached"][path]
        rps = {label: requests_per_second(results / f"wrk-{label}-{slug(path)}.txt") for label in latency}
        errors = sum(non_2xx(results / f"wrk-{label}-{slug(path)}.txt") for label in latency)
        failed |= bool(errors)
        print(
            f"{path:<28} {before['median_ms']:>9.1f} / {before['p95_ms']:<8.1f} {row['median_ms']:>7.1f} / "
            f"{row['p95_ms']:<8.1f} {rps['uncached'] or 0:>13.0f} {rps['cached'] or 0:>11.0f}"
            + (f"   ERRORS: {errors} non-2xx" if errors else "")
        )
        if rps["cached"] and static["cached"]:
            ratio = rps["cached"] / static["cached"]
            verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
            print(f"{'':<28} cached / static file (same run): {ratio:.2f}x ({verdict} the {TARGET_RATIO}x target)")
    print(f"static file req/s: {static['uncached'] or 0:.0f} (uncached run), {static['cached'] or 0:.0f} (cached run)")
    for label in latency:
        size = (results / f"size-{label}.txt").read_text().split()
        print(f"50-card page ({label}): {size[1]} bytes plain, {size[3]} bytes gzipped")
    for label in latency:
        for line in (results / f"memory-{label}.txt").read_text().splitlines():
            rss = float(re.search(r"RSS\s+([\d.]+)", line).group(1))
            mark = "" if line.startswith("master") or rss <= TARGET_RSS_MB else f"  (above {TARGET_RSS_MB} MB)"
            print(f"memory after the {label} load: {line}{mark}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
