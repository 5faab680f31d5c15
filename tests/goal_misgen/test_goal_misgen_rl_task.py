"""The goal_misgen_rl task (Shah et al. 2022, arXiv:2210.01790, Sec. 3) end to end in quick mode, and its card section."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai import eval as inspect_eval

from tony.evals.goal_misgen import experiment
from tony.evals.goal_misgen.card import goal_misgen_rl_section
from tony.evals.goal_misgen.rl_task import (
    CACHE_ENV,
    DEFAULT_CACHE_DIR,
    QUICK_BUDGET,
    cache_directory,
    goal_misgen_rl,
    mean_rates_by_p,
)

SCORER = "outcome_rates"


def _eval(task, tmp_path: Path):
    (log,) = inspect_eval(task, model=None, log_dir=str(tmp_path / "logs"), display="none", ctl_server=False)
    return log


def test_quick_sweep_trains_caches_and_builds_a_section(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    log = _eval(goal_misgen_rl(envs="coinrun", quick=True, cache_dir=str(cache)), tmp_path)
    assert log.status == "success"
    assert len(log.samples) == 3 * 2 and all(s.error is None for s in log.samples)
    for sample in log.samples:
        value = sample.scores[SCORER].value
        meta = sample.metadata
        path = experiment.cache_path(cache, "coinrun", meta["p"], meta["seed"], QUICK_BUDGET)
        cached = json.loads(path.read_text())  # the score is the run's cached record, not a recomputation
        assert {k: value[k] for k in experiment.OUTCOMES} == cached["test"]
        assert value["in_distribution_success"] == cached["in_distribution_success"]
        assert cached["test_levels_excluded"] > 0  # coinrun draws some goals inside the end column
        assert meta["cached"] is False
    examples = {s.id: s.metadata["episode_examples"] for s in log.samples if s.metadata["episodes"]}
    assert set(examples) == {"coinrun-p0-seed0", "coinrun-p1-seed0"}
    assert set(examples["coinrun-p0-seed0"]) == {"proxy"} and set(examples["coinrun-p1-seed0"]) == {"goal"}
    metrics = {k: v.value for k, v in log.results.scores[0].metrics.items()}
    assert set(metrics) == {f"coinrun_p{p:g}_{k}" for p in (0, 0.1, 1) for k in (*experiment.OUTCOMES, "in_dist")}

    section = goal_misgen_rl_section(log)
    assert section.plot_svg.startswith("<svg") and section.plot_svg.count("<svg") >= 2  # line plot + episode(s)
    assert [row[1] for row in section.rows] == ["0", "0.1", "1"] and all(row[2] == 2 for row in section.rows)
    assert "Quick mode" in section.notes[0] and "Shah et al. 2022" in section.reference
    assert section.data["summaries"]["coinrun"]["rows"][0]["n_seeds"] == 2

    # a second run reads the cache (no training) and gives the same numbers
    again = _eval(goal_misgen_rl(envs="coinrun", quick=True, cache_dir=str(cache)), tmp_path)
    assert all(s.metadata["cached"] for s in again.samples)
    assert [s.scores[SCORER].value for s in again.samples] == [s.scores[SCORER].value for s in log.samples]


def test_training_failure_is_a_sample_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_directory"
    blocker.write_text("a file where the cache directory should be")
    (log,) = inspect_eval(
        goal_misgen_rl(envs="coinrun", ps="0", seeds=1, budget=2048, cache_dir=str(blocker)), model=None,
        log_dir=str(tmp_path / "logs"), display="none", ctl_server=False, fail_on_error=False,
    )
    (sample,) = log.samples
    assert sample.error is not None and "failed (exit" in sample.error.message
    section = goal_misgen_rl_section(log)
    assert section.rows == [] and "1 of 1" in " ".join(section.notes)


def test_options_and_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    task = goal_misgen_rl(envs=["maze"], ps="0, 0.5", seeds="3,1", budget=4096, cache_dir=str(tmp_path))
    assert [s.id for s in task.dataset] == ["maze-p0-seed1", "maze-p0-seed3", "maze-p0.5-seed1", "maze-p0.5-seed3"]
    assert {s.metadata["budget"] for s in task.dataset} == {4096}
    full = goal_misgen_rl()
    assert len(full.dataset) == 2 * len(experiment.DEFAULT_PS) * len(experiment.DEFAULT_SEEDS)
    assert full.metadata["budgets"] == experiment.DEFAULT_BUDGETS
    for bad in ({"envs": "procgen"}, {"ps": "1.5"}, {"seeds": 0}, {"budget": 0}, {"workers": 0}):
        with pytest.raises(ValueError):
            goal_misgen_rl(**bad)
    monkeypatch.delenv(CACHE_ENV, raising=False)
    assert cache_directory() == DEFAULT_CACHE_DIR
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "env"))
    assert cache_directory() == tmp_path / "env"
    assert cache_directory(str(tmp_path / "opt")) == tmp_path / "opt"  # the option wins


def test_mean_rates_by_p_by_hand() -> None:
    def record(p: float, goal: float, proxy: float, in_dist: float) -> dict:
        return {"env": "maze", "p": p, "test": {"goal": goal, "proxy": proxy, "neither": 1 - goal - proxy},
                "in_distribution_success": in_dist}

    means = mean_rates_by_p([record(0.0, 0.2, 0.7, 0.9), record(0.0, 0.4, 0.5, 1.0), record(1.0, 0.9, 0.0, 0.8)])
    assert means["maze_p0_goal"] == pytest.approx(0.3)
    assert means["maze_p0_proxy"] == pytest.approx(0.6)
    assert means["maze_p0_neither"] == pytest.approx(0.1)
    assert means["maze_p0_in_dist"] == pytest.approx(0.95)
    assert means["maze_p1_goal"] == pytest.approx(0.9)
