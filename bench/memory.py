"""Memory of gunicorn's workers: RSS (every resident page, shared ones counted in each worker) and PSS
(shared pages divided among the processes that share them: what the machine really spends).

    python bench/memory.py MASTER_PID [--label TEXT]
"""

import argparse
from pathlib import Path


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def kilobytes(pid: int, path: str, field: str) -> int:
    for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("master", type=int)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    rows = [("master", args.master)] + [(f"worker {i}", pid) for i, pid in enumerate(children(args.master), 1)]
    for name, pid in rows:
        rss = kilobytes(pid, "status", "VmRSS") / 1024
        pss = kilobytes(pid, "smaps_rollup", "Pss") / 1024
        print(f"{args.label}{name:<9} pid {pid:<7} RSS {rss:6.1f} MB   PSS {pss:6.1f} MB")


if __name__ == "__main__":
    main()
