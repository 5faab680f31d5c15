"""Faults found by trying tony as a new user would, each injected with the scripted test model or a hand-made log."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.log import read_eval_log, write_eval_log

from tests.scripted_model import CALLS_ENV, count_calls, tony_command
from tests.scripted_plugin import registered, scripted_sums
from tony.card.build import build_card
from tony.card.logs import CardError, run_key, select_logs

ROOT = Path(__file__).resolve().parent.parent


def tony(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.endswith("_API_KEY")}
    env.update(HOME=str(tmp_path / "home"), **{CALLS_ENV: str(tmp_path / "calls")}, TONY_DATA_DIR="",
               INSPECT_LOG_DIR=str(tmp_path / "unused"))
    return subprocess.run(tony_command(*arguments), cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def scripted() -> Iterator[None]:
    with registered():
        yield


def card_json(out: Path) -> dict:
    return json.loads((out / "card.json").read_text())


def error_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("tony: error:")]


def test_a_model_whose_every_call_fails_fails_the_card_visibly(tmp_path):
    out = tmp_path / "card"
    result = tony(tmp_path, "card", "--model", "tony-test-faulty/badkey", "--out", str(out), "--display", "none")
    assert result.returncode == 1, result.stderr[-2000:]
    assert "card written" in result.stdout
    assert len(error_lines(result)) == 2 and "16 of 16 samples errored" in result.stderr  # one line per run
    card = card_json(out)
    assert len(card["header"]["failures"]) == 2
    assert card["header"]["notes"][0].startswith("FAILED: 2 of 2 runs had errors")
    assert all(section["headline"].startswith("FAILED") and section["errored"] == section["samples"]
               for section in card["sections"])
    html = (out / "index.html").read_text()
    assert html.index("FAILED: 2 of 2 runs") < html.index('<table class="summary"')  # above the summary table
    assert count_calls(tmp_path / "calls") == 16 + 8  # a 401 is not retried


def test_transient_model_and_judge_errors_are_retried(tmp_path):
    out = tmp_path / "card"
    result = tony(tmp_path, "card", "--model", "tony-test-faulty/flaky", "--judge", "tony-test-faulty/flaky",
                  "--out", str(out), "--display", "none")
    assert result.returncode == 0, result.stderr[-2000:]
    card = card_json(out)
    assert card["header"]["failures"] == []
    assert [section["headline"] for section in card["sections"]] == ["16 of 16 replies pass", "8 of 8 replies pass"]
    # each distinct question and each distinct judge prompt: a 429, a 503, then an answer
    assert count_calls(tmp_path / "calls") == 3 * (16 + 16)


def test_errors_that_outlast_the_retries_are_errors_not_passes(tmp_path):
    out = tmp_path / "card"
    result = tony(tmp_path, "card", "--model", "tony-test-faulty/down", "--max-retries", "1", "--timeout", "20",
                  "--out", str(out), "--display", "none")
    assert result.returncode == 1
    card = card_json(out)
    assert [(section["samples"], section["errored"]) for section in card["sections"]] == [(16, 16), (8, 8)]
    assert [section["headline"].endswith("0 of 0 replies pass") for section in card["sections"]] == [True, True]
    assert count_calls(tmp_path / "calls") == 2 * (16 + 8)  # one try and one retry, then given up


def test_a_card_is_one_models_card(tmp_path):
    out = tmp_path / "card"
    first = tony(tmp_path, "card", "--model", "tony-test-faulty/ok", "--out", str(out), "--display", "none")
    assert first.returncode == 0, first.stderr[-2000:]
    other = tony(tmp_path, "card", "--model", "tony-test-faulty/flaky", "--out", str(out), "--display", "none")
    assert other.returncode == 2 and len(other.stderr.strip().splitlines()) == 1
    assert "holds the logs of tony-test-faulty/ok" in other.stderr and "--out" in other.stderr
    assert card_json(out)["header"]["model"] == "tony-test-faulty/ok"


def _sums_log(folder: Path, model: str = "tony-test-faulty/ok", n: int = 6) -> Path:
    (log,) = inspect_eval(scripted_sums(n=n), model=model, log_dir=str(folder), display="none", ctl_server=False)
    return Path(log.location)


def test_run_key_includes_the_model_and_the_limit(tmp_path):
    first = read_eval_log(str(_sums_log(tmp_path / "a")))
    other_model = read_eval_log(str(_sums_log(tmp_path / "b", model="tony-test-faulty/flaky")))
    limited = read_eval_log(str(_sums_log(tmp_path / "c")))
    limited.eval.config.limit = 3
    assert len({run_key(first), run_key(other_model), run_key(limited)}) == 3
    for log in (tmp_path / "b").glob("*.eval"):
        log.rename(tmp_path / "a" / log.name)
    with pytest.raises(CardError, match="a card is one model's card"):
        select_logs(tmp_path / "a")


def test_a_partial_log_never_replaces_a_complete_one(tmp_path, scripted):
    complete = _sums_log(tmp_path, n=6)
    cancelled = read_eval_log(str(complete))
    cancelled.status = "cancelled"
    cancelled.samples = (cancelled.samples or [])[:2]
    cancelled.eval.created = "2099-01-01T00:00:00+00:00"  # newer than the complete log
    write_eval_log(cancelled, str(tmp_path / "2099-01-01T00-00-00_sums_cancelled.eval"))
    selection = select_logs(tmp_path)
    assert [path for path, _ in selection.standing] == [complete]
    assert [(item.state, item.samples) for item in selection.partial] == [("partial", 2)]
    build_card(tmp_path, tmp_path / "card")
    card = card_json(tmp_path / "card")
    assert card["sections"][0]["samples"] == 6
    assert any(note.startswith("Partial log") for note in card["header"]["notes"])


def test_a_corrupt_log_is_named_and_skipped(tmp_path, scripted, capsys):
    from tony.cli import main

    _sums_log(tmp_path, n=4)
    (tmp_path / "2026-01-01T00-00-00_broken.eval").write_bytes(b"PK\x03\x04 cut short")
    assert main(["report", str(tmp_path), "--out", str(tmp_path / "card")]) == 0
    warning = capsys.readouterr().err
    assert "2026-01-01T00-00-00_broken.eval" in warning and "warning: skipped" in warning
    assert card_json(tmp_path / "card")["sections"][0]["samples"] == 4


def test_stale_transcript_pages_are_removed(tmp_path, scripted):
    _sums_log(tmp_path, n=4)
    stale = tmp_path / "card" / "transcripts" / "from-an-earlier-run.html"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    build_card(tmp_path, tmp_path / "card")
    assert not stale.exists()


def test_full_suite_lists_every_missing_dataset_before_any_model_call(tmp_path):
    (tmp_path / "data").mkdir()
    result = tony(tmp_path, "card", "--suite", "full", "--model", "tony-test-faulty/ok", "--data-dir",
                  str(tmp_path / "data"), "--out", str(tmp_path / "card"), "--display", "none")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert "harmbench" in line and "xstest" in line and "nothing was run" in line
    assert count_calls(tmp_path / "calls") == 0
