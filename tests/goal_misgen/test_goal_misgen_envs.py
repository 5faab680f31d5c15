"""Invariants of the goal-misgeneralization grid worlds (Shah et al. 2022, arXiv:2210.01790)."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from tony.evals.goal_misgen.envs import (
    ENV_SPECS,
    EMPTY,
    LAVA,
    LEFT,
    RIGHT,
    CoinRunLikeEnv,
    MazeCheeseEnv,
    make_level,
    observation_size,
    reachable_mask,
)

ENVS = ("coinrun", "maze")


@pytest.mark.parametrize("env_name", ENVS)
def test_same_seed_same_level(env_name: str) -> None:
    for seed in range(20):
        a = make_level(env_name, "train", seed, 0.3)
        b = make_level(env_name, "train", seed, 0.3)
        assert np.array_equal(a.grid, b.grid) and a.start == b.start and a.goal == b.goal
        assert np.array_equal(a.proxy_mask, b.proxy_mask) and a.goal_randomised == b.goal_randomised
    grids = {make_level(env_name, "train", s, 0.0).grid.tobytes() for s in range(20)}
    assert len(grids) > 15  # procedural generation: different seeds, different levels


@pytest.mark.parametrize("env_name", ENVS)
def test_splits_and_p_do_not_change_layout_only_goal(env_name: str) -> None:
    for seed in range(20):
        proxy_goal = make_level(env_name, "test", seed, 0.0)
        random_goal = make_level(env_name, "test", seed, 1.0)
        assert np.array_equal(proxy_goal.grid, random_goal.grid)
    train = {make_level(env_name, "train", s, 0.0).grid.tobytes() for s in range(20)}
    test = {make_level(env_name, "test", s, 0.0).grid.tobytes() for s in range(20)}
    assert len(train & test) <= 1


@pytest.mark.parametrize("env_name", ENVS)
def test_training_goal_is_at_the_proxy_location(env_name: str) -> None:
    for seed in range(200):
        level = make_level(env_name, "train", seed, 0.0)
        open_cells = np.argwhere(level.grid == EMPTY)
        assert not level.goal_randomised and level.proxy_mask[level.goal]
        if env_name == "coinrun":  # the coin is in the last column of the level
            assert level.goal[1] == open_cells[:, 1].max()
            assert set(np.argwhere(level.proxy_mask)[:, 1]) == {level.goal[1]}
        else:  # the cheese is in the maze's top-right room
            assert level.goal[0] == open_cells[:, 0].min() and level.goal[1] == open_cells[:, 1].max()


@pytest.mark.parametrize("env_name", ENVS)
def test_goal_and_proxy_reachable_from_start(env_name: str) -> None:
    for split, p in (("train", 0.0), ("train", 0.5), ("test", 1.0)):
        for seed in range(100):
            level = make_level(env_name, split, seed, p)
            reach = reachable_mask(level.grid, level.start)
            assert reach[level.goal] and level.goal != level.start
            assert reach[level.proxy_mask].all()


@pytest.mark.parametrize("env_name", ENVS)
def test_test_goal_is_uniform_over_reachable_cells(env_name: str) -> None:
    in_proxy, expected = [], []
    for seed in range(400):
        level = make_level(env_name, "test", seed, 1.0)
        assert level.goal_randomised
        reach = reachable_mask(level.grid, level.start)
        reach[level.start] = False
        in_proxy.append(level.proxy_mask[level.goal])
        expected.append((reach & level.proxy_mask).sum() / reach.sum())
    # A uniform draw lands in the proxy region with probability |proxy| / |reachable|.
    se = np.sqrt(np.mean(expected) * (1 - np.mean(expected)) / len(expected))
    assert abs(np.mean(in_proxy) - np.mean(expected)) < 4 * se
    assert np.mean(in_proxy) < 0.3  # most test goals are away from the proxy location


@pytest.mark.parametrize("env_name", ENVS)
def test_p_random_goal_is_the_share_of_randomised_training_levels(env_name: str) -> None:
    flags = [make_level(env_name, "train", s, 0.2).goal_randomised for s in range(1000)]
    assert abs(np.mean(flags) - 0.2) < 0.04
    assert not any(make_level(env_name, "train", s, 0.0).goal_randomised for s in range(200))


def test_gymnasium_api_and_observation_size() -> None:
    for env in (CoinRunLikeEnv(), MazeCheeseEnv(split="test", p_random_goal=1.0)):
        check_env(env, skip_render_check=True)
        obs, _ = env.reset(seed=3)
        again, _ = env.reset(seed=3)
        assert obs.shape == (observation_size(env.env_name),) and np.array_equal(obs, again)
        assert env.observation_space.contains(obs)


def test_walls_block_and_lava_ends_episode_without_reward() -> None:
    env = CoinRunLikeEnv()
    level = make_level("coinrun", "train", 0, 0.0)
    env.reset(options={"level": level})
    _, _, terminated, _, _ = env.step(LEFT)  # column 0 is the outer wall
    assert env.trajectory[-1] == level.start and not terminated
    grid = level.grid.copy()
    grid[level.start[0], level.start[1] + 1] = LAVA
    lava_level = type(level)("coinrun", grid, level.start, level.goal, level.proxy_mask, False)
    env.reset(options={"level": lava_level})
    _, reward, terminated, truncated, info = env.step(RIGHT)
    assert terminated and not truncated and reward == 0.0 and info["lava"] and not info["reached_goal"]


def test_time_limit_truncates() -> None:
    env = CoinRunLikeEnv()
    env.reset(options={"level_seed": 1})
    steps, truncated = 0, False
    while not truncated:
        _, _, terminated, truncated, _ = env.step(LEFT)
        steps += 1
        assert not terminated
    assert steps == ENV_SPECS["coinrun"].time_limit
