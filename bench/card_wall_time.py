"""Wall time of the default card (quick suite, embedded model) per evaluation run, and in all (issue 11 §3).

Runs `tony card` once into a fresh folder with the response cache off (every model call is made), then prints each
run's own wall time from its Inspect log beside the whole command's wall time; target: the whole card ≤ 10 minutes
on 2 cores. Run it on a quiet machine: other processes on the cores slow the embedded model down in proportion.

    .venv/bin/python bench/card_wall_time.py [--out DIR] [--report-only DIR] [-- extra tony card arguments]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from tony.card.logs import latest_logs

TARGET_S = 600.0


def run_card(out: Path, extra: list[str]) -> float:
    command = [sys.executable, "-m", "tony.cli", "card", "--out", str(out), "--no-cache", "--display", "none", *extra]
    start = time.perf_counter()
    finished = subprocess.run(command, check=False)
    elapsed = time.perf_counter() - start
    if finished.returncode != 0:
        print(f"tony card exited with {finished.returncode}; the times below are of what ran", file=sys.stderr)
    return elapsed


def run_seconds(started: str, completed: str) -> float:
    return (datetime.fromisoformat(completed) - datetime.fromisoformat(started)).total_seconds()


def report(out: Path, total: float | None) -> None:
    rows = []
    for _, log in latest_logs(out / "logs"):
        if log.stats.started_at and log.stats.completed_at:
            rows.append((log.eval.task.split("/")[-1], log.eval.task_args.get("setting", ""),
                         run_seconds(log.stats.started_at, log.stats.completed_at), len(log.samples or [])))
    print(f"{'run':38} {'samples':>8} {'wall s':>8}")
    for task, setting, seconds, samples in sorted(rows, key=lambda row: -row[2]):
        print(f"{(task + (' ' + setting if setting else '')):38} {samples:8d} {seconds:8.1f}")
    print(f"{'sum of runs (they may overlap)':38} {'':8} {sum(row[2] for row in rows):8.1f}")
    if total is not None:
        verdict = "within" if total <= TARGET_S else "OVER"
        print(f"{'whole tony card command':38} {'':8} {total:8.1f}   {verdict} the {TARGET_S:.0f} s target "
              f"({total / TARGET_S:.2f}× of it), on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="card folder to write (default: a temporary one)")
    parser.add_argument("--report-only", type=Path, help="only report the run times of an existing card folder")
    args, extra = parser.parse_known_args()
    if args.report_only:
        report(args.report_only, None)
        return
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "card"
        total = run_card(out, [arg for arg in extra if arg != "--"])
        report(out, total)


if __name__ == "__main__":
    main()
