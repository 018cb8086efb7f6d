"""Run a command and tell how much CPU other work on the machine took meanwhile.

    python bench/cpuwatch.py --ours PID [--ours PID ...] --label NAME -- COMMAND ...

The benchmark shares a 2-core machine with whatever else runs there (other test suites, a dev
server, a browser). This runs COMMAND (latency.py or wrk), and from /proc compares the CPU time
all processes used during it with the CPU time of the processes the benchmark owns: the trees
under each --ours PID (gunicorn's master, PostgreSQL's postmaster), including their children that
exited meanwhile (a database backend whose client has gone), and COMMAND itself. What is
left is other work, which slows the figures down; it is printed after COMMAND's own output and
appended to the file given with --log. COMMAND's exit status is passed on.
"""

import argparse
import os
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")


def machine_busy():
    """CPU seconds spent busy (not idle, not iowait) by the whole machine so far."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v[:8]) - v[3] - v[4]) / TICK


def processes():
    """{pid: (ppid, cpu seconds, cpu seconds of its children that have exited)} for every process now."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(name)] = (
            int(fields[1]),
            (int(fields[11]) + int(fields[12])) / TICK,
            (int(fields[13]) + int(fields[14])) / TICK,
        )
    return out


def tree(procs, roots):
    children = {}
    for pid, (ppid, *_) in procs.items():
        children.setdefault(ppid, []).append(pid)
    seen, todo = set(), [r for r in roots if r in procs]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(children.get(pid, []))
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ours", type=int, action="append", default=[], help="root of a process tree of ours")
    parser.add_argument("--label", default="run")
    parser.add_argument("--log", help="append the summary line to this file")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    before = processes()
    ours_before = tree(before, args.ours)
    busy0, t0 = machine_busy(), time.monotonic()
    status = subprocess.call(command)
    busy1, t1 = machine_busy(), time.monotonic()
    after = processes()
    ours_after = tree(after, args.ours)

    ours = 0.0
    for pid in ours_after:
        cpu = after[pid][1]
        ours += cpu - (before[pid][1] if pid in ours_before and pid in before else 0.0)
        if pid in ours_before and pid in before:
            # Children that ran and exited meanwhile (a PostgreSQL backend of a client that has
            # disconnected) are gone from /proc: their CPU shows in their parent's reaped time.
            ours += after[pid][2] - before[pid][2]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    ours += usage.ru_utime + usage.ru_stime  # the command itself
    wall = t1 - t0
    total = busy1 - busy0
    other = max(0.0, total - ours)
    cores = os.cpu_count() or 1
    line = (
        f"{args.label}: {wall:.1f} s wall on {cores} cores; CPU busy {total:.1f} s, of which benchmark "
        f"(server, database, client) {ours:.1f} s and other work {other:.1f} s "
        f"({100 * other / (wall * cores):.0f}% of the machine)"
    )
    if other > 0.1 * wall * cores:
        line += "  <- other work competed: figures pessimistic"
    print(line, flush=True)
    if args.log:
        with open(args.log, "a") as f:
            f.write(line + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
