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


def test_bad_data_dir_is_one_line(tmp_path):
    _one_line_error(run_cli("card", "--data-dir", str(tmp_path / "nowhere"), "--out", str(tmp_path), "--display", "none"))


def test_report_of_logs_without_a_card_section_is_one_line(tmp_path):
    from inspect_ai import eval as inspect_eval

    import tests.scripted_model  # noqa: F401  (registers tony-test-faulty)
    from tests.scripted_plugin import scripted_sums

    inspect_eval(scripted_sums(n=2), model="tony-test-faulty/ok", log_dir=str(tmp_path), display="none", ctl_server=False)
    _one_line_error(run_cli("report", str(tmp_path), "--out", str(tmp_path / "card")))


def test_malformed_model_argument_is_refused():
    result = run_cli("card", "-M", "n_threads")
    assert result.returncode == 2 and "key=value" in result.stderr


def test_operational_options_reach_inspects_eval_set(tmp_path, monkeypatch):
    import inspect_ai

    from tony.card_run import run_plans
    from tony.cli import parser, run_settings

    arguments = parser().parse_args(["card", "--model", "openai/gpt-4o", "-M", "n_threads=2", "--no-cache",
                                     "--max-retries", "2", "--timeout", "30", "--max-connections", "7",
                                     "--max-tasks", "3", "--batch", "--judge", "anthropic/claude-sonnet-4-0"])
    calls = []

    def fake_eval_set(tasks, **options):
        calls.append(options)
        return True, []

    class Plan:
        name, limit, datasets = "x", None, ()

    monkeypatch.setattr(inspect_ai, "eval_set", fake_eval_set)
    with pytest.raises(Exception, match="no log for x"):
        run_plans([Plan()], ["task"], tmp_path, run_settings(arguments))
    (options,) = calls
    assert options["model"] == "openai/gpt-4o" and options["model_args"] == {"n_threads": 2}
    assert options["model_roles"] == {"grader": "anthropic/claude-sonnet-4-0"}
    assert (options["cache"], options["max_retries"], options["timeout"]) == (False, 2, 30)
    assert (options["max_connections"], options["max_tasks"], options["batch"]) == (7, 3, True)
    assert parser().parse_args(["card", "--batch", "50"]).batch == 50
    defaults = parser().parse_args(["card"])
    assert defaults.cache and defaults.max_retries == 5 and defaults.timeout == 300  # bounded by default


def _exit_2_one_line(result, text):
    _one_line_error(result)
    assert result.returncode == 2 and text in result.stderr, result.stderr


def test_judge_validation_bad_input_is_one_line(tmp_path):
    """tony judge-validate / tony card --judge-validation: unknown judge, missing or malformed file, no grader."""
    _exit_2_one_line(run_cli("judge-validate", "--judge", "mockllm/model", "--out", str(tmp_path / "m.json"),
                             "--judges", "nosuch", "--display", "none"), "unknown judge 'nosuch'")
    card = ("card", "--judge", "mockllm/model", "--out", str(tmp_path / "card"), "--display", "none")
    _exit_2_one_line(run_cli(*card, "--judge-validation", str(tmp_path / "missing.json")), "does not exist")
    (tmp_path / "bad.json").write_text("[1, 2", encoding="utf-8")
    _exit_2_one_line(run_cli(*card, "--judge-validation", str(tmp_path / "bad.json")), "not readable JSON")
    (tmp_path / "other.json").write_text('{"format": 1, "kind": "something else"}', encoding="utf-8")
    _exit_2_one_line(run_cli(*card, "--judge-validation", str(tmp_path / "other.json")), "not a format-1 file")
    _exit_2_one_line(run_cli("card", "--out", str(tmp_path / "card"), "--judge-validation", str(tmp_path / "bad.json")),
                     "need --judge")
