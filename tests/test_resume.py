"""`tony card` killed with SIGKILL mid-run and run again: it completes, redoing only unfinished work; a finished card
re-runs without a model call (Inspect's response cache)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from inspect_ai.log import read_eval_log

from tests.scripted_model import CALLS_ENV, DELAY_ENV, count_calls, tony_command

ROOT = Path(__file__).resolve().parent.parent
LIMIT = "4"


def environment(tmp_path: Path, calls: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.endswith("_API_KEY")}
    # HOME holds Inspect's response cache and sample buffer: one per test.
    env.update(HOME=str(tmp_path / "home"), **{CALLS_ENV: str(calls), DELAY_ENV: "0.05"}, TONY_DATA_DIR="",
               INSPECT_LOG_DIR=str(tmp_path / "unused"))
    return env


def card(tmp_path: Path, calls: Path, *extra: str) -> list[str]:
    return tony_command("card", "--model", "tony-test-faulty/slow", "--limit", LIMIT, "--out", str(tmp_path / "card"),
                        "--display", "none", "--max-connections", "2", *extra)


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def kill_when(command: list[str], env: dict[str, str], calls: Path, at: int) -> None:
    """Start `tony card` and SIGKILL its whole process group once the model has been called `at` times."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 240
    while count_calls(calls) < at and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, "tony card finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def final_samples(card_dir: Path) -> dict[str, list[str]]:
    """Run name -> sample ids (with epoch) in the card's logs."""
    card_json = json.loads((card_dir / "card.json").read_text())
    samples = {}
    for entry in card_json["header"]["logs"]:
        log = read_eval_log(str(card_dir / "logs" / entry["file"]))
        samples[log.eval.task] = [f"{sample.id}/{sample.epoch}" for sample in log.samples or []]
    return samples


def test_killed_card_resumes_redoing_only_unfinished_samples(tmp_path):
    calls = tmp_path / "calls"
    env = environment(tmp_path, calls)
    # A clean run elsewhere says how many calls the whole card takes.
    clean_calls = tmp_path / "clean-calls"
    clean = run(tony_command("card", "--model", "tony-test-faulty/slow", "--limit", LIMIT, "--out",
                             str(tmp_path / "clean"), "--display", "none", "--no-cache"),
                environment(tmp_path / "clean-home", clean_calls))
    assert clean.returncode == 0, clean.stderr[-2000:]
    needed = count_calls(clean_calls)
    expected = final_samples(tmp_path / "clean")
    assert needed == sum(len(ids) for ids in expected.values()) > 20

    kill_when(card(tmp_path, calls, "--no-cache"), env, calls, at=needed // 2)
    before = count_calls(calls)
    resumed = run(card(tmp_path, calls, "--no-cache"), env)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = count_calls(calls) - before
    repeated = before + after - needed
    samples = final_samples(tmp_path / "card")
    print(f"\nkill and resume: {before} calls before the kill, {after} after; {needed} needed; {repeated} repeated; "
          f"samples {sum(map(len, samples.values()))} (clean run {sum(map(len, expected.values()))})")
    assert {task: sorted(ids) for task, ids in samples.items()} == {task: sorted(ids) for task, ids in expected.items()}
    assert all(len(ids) == len(set(ids)) for ids in samples.values())  # every sample counted once
    # Only samples in flight at the kill (and not yet in the sample buffer) are redone.
    assert 0 <= repeated <= 6, (before, after, needed)
    card_json = json.loads((tmp_path / "card" / "card.json").read_text())
    assert [entry["state"] for entry in card_json["header"]["logs"]] == ["complete"] * len(expected)
    tasks = [section["task"] for section in card_json["sections"]]
    assert len(tasks) == len(set(tasks))  # one section per run

    # A finished card, run again, calls no model (cache on: the default).
    again = run(card(tmp_path, calls), env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert count_calls(calls) == before + after


def test_finished_card_reruns_from_the_cache_with_zero_model_calls(tmp_path):
    calls = tmp_path / "calls"
    env = environment(tmp_path, calls)
    first = run(card(tmp_path, calls, "--judge", "tony-test-faulty/ok"), env)
    assert first.returncode == 0, first.stderr[-2000:]
    made = count_calls(calls)
    assert made > 20
    # Even with the logs gone, every response (model and judge) comes from Inspect's cache.
    for log in (tmp_path / "card" / "logs").glob("*.eval"):
        log.unlink()
    second = run(card(tmp_path, calls, "--judge", "tony-test-faulty/ok"), env)
    assert second.returncode == 0, second.stderr[-2000:]
    print(f"\ncached re-run: {count_calls(calls) - made} model calls (first run {made})")
    assert count_calls(calls) == made
