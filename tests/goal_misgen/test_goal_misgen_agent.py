"""The numpy PPO agent of the goal-misgeneralization reproduction (Shah et al. 2022, arXiv:2210.01790)."""

from __future__ import annotations

import numpy as np

from tony.evals.goal_misgen.agent import (
    PPOConfig,
    forward,
    gae,
    init_params,
    log_softmax,
    ppo_loss_and_grads,
    train_ppo,
)
from tony.evals.goal_misgen.experiment import held_out_levels, run_episodes


def test_hand_written_gradient_matches_finite_differences() -> None:
    rng = np.random.default_rng(0)
    params = init_params(6, 5, rng)
    params["wp"] = rng.normal(size=params["wp"].shape)  # a non-trivial policy head
    obs = rng.normal(size=(16, 6))
    actions = rng.integers(4, size=16)
    logits, _, _ = forward(params, obs)
    old_logp = log_softmax(logits)[np.arange(16), actions] + rng.normal(0, 0.3, size=16)  # some ratios clip
    advantages, returns = rng.normal(size=16), rng.normal(size=16)
    config = PPOConfig(entropy_coef=0.05)

    def loss() -> float:
        return ppo_loss_and_grads(params, obs, actions, old_logp, advantages, returns, config)[0]

    _, grads = ppo_loss_and_grads(params, obs, actions, old_logp, advantages, returns, config)
    eps = 1e-6
    for name, value in params.items():
        for index in list(np.ndindex(value.shape))[:12]:
            saved = value[index]
            value[index] = saved + eps
            up = loss()
            value[index] = saved - eps
            down = loss()
            value[index] = saved
            assert abs((up - down) / (2 * eps) - grads[name][index]) < 1e-6, (name, index)


def test_gae_by_hand() -> None:
    rewards = np.array([[0.0], [1.0], [0.0]])
    values = np.array([[0.5], [0.6], [0.2]])
    dones = np.array([[0.0], [1.0], [0.0]])
    last = np.array([0.4])
    adv = gae(rewards, values, dones, last, gamma=0.9, lam=0.5)
    d2 = 0.0 + 0.9 * 0.4 - 0.2
    d1 = 1.0 - 0.6  # episode ends after step 1: no bootstrap
    d0 = 0.0 + 0.9 * 0.6 - 0.5
    assert np.allclose(adv[:, 0], [d0 + 0.45 * d1, d1, d2])


def test_short_training_beats_a_random_policy() -> None:
    trained = train_ppo("coinrun", 0.0, 30_000, seed=0)
    uniform = {k: v.copy() for k, v in trained.params.items()}
    uniform["wp"][:] = 0.0  # zero policy head: uniformly random actions
    uniform["bp"][:] = 0.0
    levels = held_out_levels("coinrun", 200, p_random_goal=0.0)  # training distribution
    trained_return = np.mean([e["reached_goal"] for e in run_episodes(trained.params, levels, seed=0)])
    random_return = np.mean([e["reached_goal"] for e in run_episodes(uniform, levels, seed=0)])
    assert trained_return > random_return + 0.2
    assert trained.curve[-1][1] > trained.curve[0][1]
