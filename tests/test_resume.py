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
KILL_AT = 10  # model calls; the whole card (16 + 8 samples) takes 24


def environment(tmp_path: Path, calls: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.endswith("_API_KEY")}
    # HOME holds Inspect's response cache and sample buffer: one per test.
    env.update(HOME=str(tmp_path / "home"), **{CALLS_ENV: str(calls), DELAY_ENV: "0.1"}, TONY_DATA_DIR="",
               INSPECT_LOG_DIR=str(tmp_path / "unused"))
    return env


def card(tmp_path: Path, calls: Path, *extra: str) -> list[str]:
    return tony_command("card", "--model", "tony-test-faulty/slow", "--out", str(tmp_path / "card"),
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


def card_samples(card_dir: Path) -> dict[str, tuple[list[str], list[str]]]:
    """Run name -> (sample ids in its log, the ids its eval planned) for every log in the card."""
    card_json = json.loads((card_dir / "card.json").read_text())
    samples = {}
    for entry in card_json["header"]["logs"]:
        log = read_eval_log(str(card_dir / "logs" / entry["file"]))
        samples[log.eval.task] = ([str(sample.id) for sample in log.samples or []],
                                  [str(sample_id) for sample_id in log.eval.dataset.sample_ids or []])
    return samples


def test_killed_card_resumes_redoing_only_unfinished_samples(tmp_path):
    calls = tmp_path / "calls"
    env = environment(tmp_path, calls)
    kill_when(card(tmp_path, calls, "--no-cache"), env, calls, at=KILL_AT)
    before = count_calls(calls)
    resumed = run(card(tmp_path, calls, "--no-cache"), env)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    after = count_calls(calls) - before
    samples = card_samples(tmp_path / "card")
    needed = sum(len(planned) for _, planned in samples.values())  # one model call per sample (offline judges)
    repeated = before + after - needed
    print(f"\nkill and resume: {before} model calls before the SIGKILL, {after} after; {needed} samples, each counted "
          f"once; {repeated} calls repeated")
    assert set(samples) == {"sums_a", "sums_b"}
    for name, (ids, planned) in samples.items():
        assert sorted(ids) == sorted(planned), name  # every planned sample, each once
    # Only samples in flight at the kill (at most --max-connections of them) are redone.
    assert 0 <= repeated <= 2, (before, after, needed)
    card_json = json.loads((tmp_path / "card" / "card.json").read_text())
    assert [entry["state"] for entry in card_json["header"]["logs"]] == ["complete"] * 2
    tasks = [section["task"] for section in card_json["sections"]]
    assert len(tasks) == len(set(tasks))  # one section per run


def test_finished_card_reruns_from_the_cache_with_zero_model_calls(tmp_path):
    calls = tmp_path / "calls"
    env = environment(tmp_path, calls)
    first = run(card(tmp_path, calls, "--judge", "tony-test-faulty/ok"), env)
    assert first.returncode == 0, first.stderr[-2000:]
    made = count_calls(calls)
    assert made == 32  # 16 distinct questions (sums_b repeats 8 of sums_a's) and a judge call for each reply
    # Even with the logs gone, every response (model and judge) comes from Inspect's cache.
    for log in (tmp_path / "card" / "logs").glob("*.eval"):
        log.unlink()
    second = run(card(tmp_path, calls, "--judge", "tony-test-faulty/ok"), env)
    assert second.returncode == 0, second.stderr[-2000:]
    print(f"\ncached re-run: {count_calls(calls) - made} model calls (first run {made})")
    assert count_calls(calls) == made
