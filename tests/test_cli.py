"""The tony command: listing, bad input gets one clear line and a non-zero exit, report from logs."""

import subprocess
import sys

import pytest

from tony.cli import main


def run_cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "tony.cli", *args], capture_output=True, text=True, timeout=timeout)


def test_evals_lists_faithfulness(capsys):
    assert main(["evals"]) == 0
    assert "tony/faithfulness" in capsys.readouterr().out


def test_bad_argument_exits_non_zero():
    result = run_cli("card", "--suite", "huge")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_non_positive_limit():
    result = run_cli("card", "--limit", "0")
    assert result.returncode == 2 and "--limit" in result.stderr


def _one_line_error(result):
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert result.returncode != 0
    assert len(lines) == 1 and lines[0].startswith("tony: error:"), result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_model_is_one_line(tmp_path):
    _one_line_error(run_cli("card", "--model", "nosuchapi/x", "--out", str(tmp_path), "--display", "none"))


def test_missing_gguf_is_one_line(tmp_path):
    _one_line_error(run_cli("card", "--model", "tony-gguf/missing.gguf", "--out", str(tmp_path), "--display", "none"))


def test_missing_api_key_is_one_line(tmp_path, monkeypatch):
    result = subprocess.run(
        [sys.executable, "-m", "tony.cli", "card", "--model", "openai/gpt-4o-mini", "--out", str(tmp_path), "--display", "none"],
        capture_output=True, text=True, timeout=120,
        env={k: v for k, v in __import__("os").environ.items() if k != "OPENAI_API_KEY"},
    )
    _one_line_error(result)


def test_report_without_logs_is_one_line(tmp_path):
    _one_line_error(run_cli("report", str(tmp_path / "nothing")))
    (tmp_path / "empty").mkdir()
    _one_line_error(run_cli("report", str(tmp_path / "empty")))


def test_full_suite_with_missing_data_is_one_line(tmp_path):
    _one_line_error(run_cli("card", "--suite", "full", "--data-dir", str(tmp_path / "no-data"), "--out", str(tmp_path), "--display", "none"))


def test_only_the_embedded_model_gets_untagged_alignment_faking_replies_read():
    from tony.cli import DEFAULT_MODEL, suite_plan

    for suite in ("quick", "full"):
        embedded = [p for p in suite_plan(suite, None, DEFAULT_MODEL) if p.task == "alignment_faking"]
        other = [p for p in suite_plan(suite, None, "openai/gpt-4o") if p.task == "alignment_faking"]
        assert embedded and all(p.args["allow_untagged"] for p in embedded)
        assert other and not any(p.args["allow_untagged"] for p in other)
