"""Wall time of the default card (quick suite, embedded model) per evaluation run, and in all (issue 11 §3).

Runs `tony card` once into a fresh folder with the response cache off (every model call is made), then prints each
run's own wall time from its Inspect log beside the whole command's wall time; target: the whole card ≤ 10 minutes
on 2 cores. Run it on a quiet machine: other processes on the cores slow the embedded model down in proportion.

    .venv/bin/python bench/card_wall_time.py [--out DIR] [--report-only DIR] [--tiny] [-- extra tony card arguments]

`--tiny` runs the tests' scripted evaluation on the instant scripted model (`tony-test-faulty/ok`) at `--limit 2`
instead of the default card: it checks the bench's plumbing (the command, the logs, the table) in seconds; its times
say nothing about the default card.
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

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 600.0
TINY_MODEL = "tony-test-faulty/ok"


def card_command(out: Path, extra: list[str], tiny: bool = False) -> list[str]:
    """argv of the `tony card` run timed: the default card, or under --tiny the scripted evaluation only."""
    arguments = ["card", "--out", str(out), "--no-cache", "--display", "none", *extra]
    if not tiny:
        return [sys.executable, "-m", "tony.cli", *arguments]
    sys.path.insert(0, str(ROOT))
    from tests.scripted_model import tony_command

    return tony_command(*arguments, "--model", TINY_MODEL, "--limit", "2")


def run_card(command: list[str]) -> float:
    start = time.perf_counter()
    finished = subprocess.run(command, check=False, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if finished.returncode != 0:
        print(f"tony card exited with {finished.returncode}; the times below are of what ran", file=sys.stderr)
    return elapsed


def run_seconds(started: str, completed: str) -> float:
    return (datetime.fromisoformat(completed) - datetime.fromisoformat(started)).total_seconds()


def report(out: Path, total: float | None) -> int:
    """Print each run's wall time (and the whole command's); the number of runs reported."""
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
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="card folder to write (default: a temporary one)")
    parser.add_argument("--report-only", type=Path, help="only report the run times of an existing card folder")
    parser.add_argument("--tiny", action="store_true", help="the scripted evaluation and model at --limit 2")
    args, extra = parser.parse_known_args()
    if args.report_only:
        if not list((args.report_only / "logs").glob("*.eval")):
            parser.error(f"--report-only {args.report_only}: no eval logs in {args.report_only / 'logs'}")
        runs = report(args.report_only, None)
        print(f"measured: nothing run; the wall time of each of the {runs} runs logged in {args.report_only}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch) / "card"
        total = run_card(card_command(out, [arg for arg in extra if arg != "--"], args.tiny))
        runs = report(out, total)
        if not runs:
            raise SystemExit(f"bench: tony card left no finished run in {out / 'logs'}")
    what = "the scripted evaluation on the scripted model at --limit 2" if args.tiny else "the default card"
    print(f"measured: wall time of each of {runs} runs and of the whole `tony card` command, {what}"
          + ("; --tiny: the times say nothing about the default card" if args.tiny else ""))


if __name__ == "__main__":
    main()
