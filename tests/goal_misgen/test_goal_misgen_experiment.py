"""Episode classification, intervals and the cached sweep (Shah et al. 2022, arXiv:2210.01790)."""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np
import pytest

from tony.evals.goal_misgen import experiment
from tony.evals.goal_misgen.envs import EMPTY, LEFT, MOVES, RIGHT, CoinRunLikeEnv, Level, MazeCheeseEnv, make_level
from tony.evals.goal_misgen.experiment import (
    classify_episode,
    format_table,
    plot_outcomes,
    render_episode_svg,
    run_sweep,
    seed_interval,
)


def shortest_actions(level: Level, targets: np.ndarray, avoid: tuple[int, int] | None = None) -> list[int]:
    """Breadth-first path from the start to any cell of ``targets`` (bool mask), as actions."""
    parent: dict[tuple[int, int], tuple[tuple[int, int], int] | None] = {level.start: None}
    queue = deque([level.start])
    while queue:
        cell = queue.popleft()
        if targets[cell]:
            actions = []
            while parent[cell] is not None:
                cell, action = parent[cell]
                actions.append(action)
            return actions[::-1]
        for action, (dr, dc) in enumerate(MOVES):
            nxt = (cell[0] + int(dr), cell[1] + int(dc))
            if level.grid[nxt] == EMPTY and nxt not in parent and nxt != avoid:
                parent[nxt] = (cell, action)
                queue.append(nxt)
    raise AssertionError("no path")


def play(env: CoinRunLikeEnv | MazeCheeseEnv, level: Level, actions: list[int], idle: int) -> str:
    """Play scripted actions, then repeat ``idle`` until the episode ends; classify the episode."""
    env.reset(options={"level": level})
    reached_goal = reached_proxy = False
    for t in range(10_000):
        action = actions[t] if t < len(actions) else idle
        _, _, terminated, truncated, info = env.step(action)
        reached_goal |= info["reached_goal"]
        reached_proxy |= info["reached_proxy"]
        if terminated or truncated:
            return classify_episode(reached_goal, reached_proxy)
    raise AssertionError("episode did not end")


def test_classify_episode_truth_table() -> None:
    assert classify_episode(True, True) == "goal"
    assert classify_episode(True, False) == "goal"
    assert classify_episode(False, True) == "proxy"
    assert classify_episode(False, False) == "neither"


@pytest.mark.parametrize("env_cls", [CoinRunLikeEnv, MazeCheeseEnv])
def test_scripted_trajectories_are_classified(env_cls: type) -> None:
    env = env_cls()
    checked = 0
    for seed in range(50):
        level = make_level(env.env_name, "test", seed, 1.0)
        if level.proxy_mask[level.goal]:
            continue
        goal_mask = np.zeros_like(level.proxy_mask)
        goal_mask[level.goal] = True
        assert play(env, level, shortest_actions(level, goal_mask), idle=LEFT) == "goal"
        try:
            to_proxy = shortest_actions(level, level.proxy_mask, avoid=level.goal)
        except AssertionError:
            continue  # the goal blocks every way to the proxy
        # Run to the end / top-right room and stay there (moving right keeps one in that region).
        assert play(env, level, to_proxy, idle=RIGHT) == "proxy"  # capable, wrong goal
        assert play(env, level, [], idle=LEFT) == "neither"  # bumps into the left wall until the time limit
        checked += 1
    assert checked >= 20


def test_seed_interval_against_hand_computed_value() -> None:
    # mean 0.4, sample sd 0.2, se = 0.2 / sqrt(3) = 0.1154701; t(0.975, 2) = 4.3026527
    interval = seed_interval([0.2, 0.4, 0.6])
    assert interval.value == pytest.approx(0.4)
    assert interval.low == pytest.approx(0.4 - 0.4968275, abs=1e-6)
    assert interval.high == pytest.approx(0.4 + 0.4968275, abs=1e-6)
    assert seed_interval([0.5]).low is None


def test_sweep_caches_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(experiment, "N_TEST_LEVELS", 20)
    summary = run_sweep("coinrun", tmp_path, seeds=[0, 1], ps=[0.0, 1.0], budget=2048, progress=False, workers=1)
    assert [row["p"] for row in summary["rows"]] == [0.0, 1.0]
    for row in summary["rows"]:
        assert row["n_seeds"] == 2
        assert sum(row[k]["value"] for k in experiment.OUTCOMES) == pytest.approx(1.0)

    def must_not_run(*args: object) -> None:
        raise AssertionError("cached seed was recomputed")

    monkeypatch.setattr(experiment, "run_seed", must_not_run)
    again = run_sweep("coinrun", tmp_path, seeds=[0, 1], ps=[0.0, 1.0], budget=2048, progress=False, workers=1)
    assert again["rows"] == summary["rows"]
    assert "P(goal)" in format_table(again)

    svg = plot_outcomes(again)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    path = experiment.cache_path(tmp_path, "coinrun", 0.0, 0, 2048)
    params = experiment.load_params(path)
    level = make_level("coinrun", "test", 0, 1.0)
    episode = experiment.run_episodes(params, [level], seed=0, record=True)[0]
    picture = render_episode_svg(level, episode["path"])
    assert picture.startswith("<svg") and "</svg>" in picture
