"""A small PPO agent in numpy for the goal-misgeneralization reproduction.

Shah et al. 2022 ("Goal Misgeneralization: Why Correct Specifications Aren't Enough For
Correct Goals", arXiv:2210.01790) train PPO agents on Procgen. We keep the algorithm and
shrink everything else so that one training run takes well under a minute on one CPU core:

* Policy: an MLP (two tanh hidden layers of 64 units) with a softmax policy head and a
  value head on the shared torso, over the egocentric observations of ``envs.py``.
* Algorithm: PPO with the clipped surrogate objective, GAE(lambda) advantages, an
  entropy bonus, global-norm gradient clipping and Adam - the usual recipe, run over
  a batch of 32 levels stepped in lock-step by ``envs.GridBatch``.
* Gradients are written by hand (the network is four matrix products), so the
  suite does not need torch or stable-baselines3, multi-gigabyte dependencies, for
  a network of about 10k parameters. ``tests/goal_misgen`` checks the hand-written
  gradient against finite differences.

Episodes that hit the time limit are treated as terminal (no bootstrapping), a common
simplification; the remaining time is not part of the observation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from tony.evals.goal_misgen.envs import N_ACTIONS, GridBatch, Level, make_level, observation_size

Params = dict[str, np.ndarray]


@dataclass(frozen=True)
class PPOConfig:
    """Hyper-parameters; the defaults are the ones used by the sweep."""

    n_envs: int = 32
    n_steps: int = 64
    hidden: int = 64
    learning_rate: float = 1e-3
    gamma: float = 0.99
    gae_lambda: float = 0.95
    clip: float = 0.2
    epochs: int = 3
    minibatch: int = 512
    entropy_coef: float = 0.01
    value_coef: float = 0.5
    max_grad_norm: float = 0.5


# ---------------------------------------------------------------- network


def init_params(obs_size: int, hidden: int, rng: np.random.Generator) -> Params:
    """Scaled-Gaussian initialisation; the policy head starts near uniform."""

    def dense(n_in: int, n_out: int, gain: float) -> np.ndarray:
        return rng.normal(0.0, gain / math.sqrt(n_in), size=(n_in, n_out))

    return {
        "w1": dense(obs_size, hidden, 1.0),
        "b1": np.zeros(hidden),
        "w2": dense(hidden, hidden, 1.0),
        "b2": np.zeros(hidden),
        "wp": dense(hidden, N_ACTIONS, 0.01),
        "bp": np.zeros(N_ACTIONS),
        "wv": dense(hidden, 1, 1.0),
        "bv": np.zeros(1),
    }


def forward(params: Params, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Logits (B, A), values (B,) and the activations needed by ``backward``."""
    h1 = np.tanh(obs @ params["w1"] + params["b1"])
    h2 = np.tanh(h1 @ params["w2"] + params["b2"])
    logits = h2 @ params["wp"] + params["bp"]
    values = (h2 @ params["wv"] + params["bv"])[:, 0]
    return logits, values, (obs, h1, h2)


def backward(params: Params, cache: tuple[np.ndarray, ...], d_logits: np.ndarray, d_values: np.ndarray) -> Params:
    """Gradients of a loss with respect to every parameter, given dLoss/dlogits and dLoss/dvalues."""
    obs, h1, h2 = cache
    d_h2 = d_logits @ params["wp"].T + d_values[:, None] @ params["wv"].T
    d_a2 = d_h2 * (1.0 - h2**2)
    d_a1 = (d_a2 @ params["w2"].T) * (1.0 - h1**2)
    return {
        "wp": h2.T @ d_logits,
        "bp": d_logits.sum(0),
        "wv": h2.T @ d_values[:, None],
        "bv": d_values.sum(keepdims=True),
        "w2": h1.T @ d_a2,
        "b2": d_a2.sum(0),
        "w1": obs.T @ d_a1,
        "b1": d_a1.sum(0),
    }


def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def sample_actions(logits: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One action per row, drawn from softmax(logits)."""
    cumulative = np.exp(log_softmax(logits)).cumsum(axis=1)
    draws = rng.random(len(logits))[:, None] * cumulative[:, -1:]
    return np.minimum((cumulative < draws).sum(axis=1), N_ACTIONS - 1)


# ---------------------------------------------------------------- PPO loss


def ppo_loss_and_grads(
    params: Params,
    obs: np.ndarray,
    actions: np.ndarray,
    old_logp: np.ndarray,
    advantages: np.ndarray,
    returns: np.ndarray,
    config: PPOConfig,
) -> tuple[float, Params]:
    """Clipped-surrogate PPO loss on one minibatch and its gradient."""
    b = len(actions)
    logits, values, cache = forward(params, obs)
    logp_all = log_softmax(logits)
    probs = np.exp(logp_all)
    logp = logp_all[np.arange(b), actions]
    ratio = np.exp(logp - old_logp)
    clipped = np.clip(ratio, 1.0 - config.clip, 1.0 + config.clip)
    surrogate = np.minimum(ratio * advantages, clipped * advantages)
    entropy = -(probs * logp_all).sum(axis=1)
    loss = -surrogate.mean() + config.value_coef * 0.5 * ((values - returns) ** 2).mean() - config.entropy_coef * entropy.mean()

    # d(-surrogate)/dlogp is -A*ratio where the unclipped term is the active one, else 0.
    active = ratio * advantages <= clipped * advantages
    d_logp = np.where(active, -advantages * ratio, 0.0) / b
    one_hot = np.zeros_like(logits)
    one_hot[np.arange(b), actions] = 1.0
    d_logits = d_logp[:, None] * (one_hot - probs)
    # d(-c*H)/dlogits_j = c * p_j * (log p_j + H)
    d_logits += config.entropy_coef * probs * (logp_all + entropy[:, None]) / b
    d_values = config.value_coef * (values - returns) / b
    return float(loss), backward(params, cache, d_logits, d_values)


class Adam:
    """Adam with global-norm gradient clipping."""

    def __init__(self, params: Params, lr: float, max_grad_norm: float) -> None:
        self.lr, self.max_grad_norm, self.t = lr, max_grad_norm, 0
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}

    def update(self, params: Params, grads: Params, beta1: float = 0.9, beta2: float = 0.999) -> None:
        norm = math.sqrt(sum(float((g**2).sum()) for g in grads.values()))
        scale = min(1.0, self.max_grad_norm / (norm + 1e-8))
        self.t += 1
        for k, g in grads.items():
            g = g * scale
            self.m[k] = beta1 * self.m[k] + (1 - beta1) * g
            self.v[k] = beta2 * self.v[k] + (1 - beta2) * g**2
            m_hat = self.m[k] / (1 - beta1**self.t)
            v_hat = self.v[k] / (1 - beta2**self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def gae(rewards: np.ndarray, values: np.ndarray, dones: np.ndarray, last_values: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    """GAE(lambda) advantages for (T, N) rollouts; ``dones[t]`` ends the episode after step t."""
    advantages = np.zeros_like(rewards)
    running = np.zeros(rewards.shape[1])
    next_values = last_values
    for t in reversed(range(len(rewards))):
        alive = 1.0 - dones[t]
        delta = rewards[t] + gamma * next_values * alive - values[t]
        running = delta + gamma * lam * alive * running
        advantages[t] = running
        next_values = values[t]
    return advantages


# ---------------------------------------------------------------- training


@dataclass
class TrainResult:
    """A trained policy and its learning curve (steps, mean return of recent episodes)."""

    params: Params
    curve: list[tuple[int, float]] = field(default_factory=list)
    episodes: int = 0
    seconds: float = 0.0


@dataclass
class Rollout:
    """``n_steps`` transitions of every level in the batch, arrays shaped (T, N, ...)."""

    obs: np.ndarray
    actions: np.ndarray
    logp: np.ndarray
    values: np.ndarray
    rewards: np.ndarray
    dones: np.ndarray
    last_values: np.ndarray


def collect_rollout(
    params: Params,
    batch: GridBatch,
    obs: np.ndarray,
    n_steps: int,
    next_level: Callable[[], Level],
    rng: np.random.Generator,
    episode_returns: list[float],
) -> tuple[Rollout, np.ndarray]:
    """Step the batch with the sampled policy, loading a new level wherever an episode ends."""
    n = batch.n
    rollout = Rollout(
        obs=np.zeros((n_steps, n, obs.shape[1])),
        actions=np.zeros((n_steps, n), dtype=np.int64),
        logp=np.zeros((n_steps, n)),
        values=np.zeros((n_steps, n)),
        rewards=np.zeros((n_steps, n)),
        dones=np.zeros((n_steps, n)),
        last_values=np.zeros(n),
    )
    for t in range(n_steps):
        logits, values, _ = forward(params, obs)
        actions = sample_actions(logits, rng)
        out = batch.step(actions)
        done = out["terminated"] | out["truncated"]
        rollout.obs[t], rollout.actions[t], rollout.values[t] = obs, actions, values
        rollout.logp[t] = log_softmax(logits)[np.arange(n), actions]
        rollout.rewards[t], rollout.dones[t] = out["reward"], done
        for i in np.flatnonzero(done):
            episode_returns.append(float(out["reward"][i]))
            batch.load(i, next_level())
        obs = batch.observe()
    rollout.last_values = forward(params, obs)[1]
    return rollout, obs


def ppo_update(params: Params, optimiser: Adam, rollout: Rollout, config: PPOConfig, rng: np.random.Generator) -> None:
    """A few epochs of minibatch PPO on one rollout (advantages normalised per minibatch)."""
    advantages = gae(rollout.rewards, rollout.values, rollout.dones, rollout.last_values, config.gamma, config.gae_lambda)
    returns = advantages + rollout.values
    size = advantages.size
    obs = rollout.obs.reshape(size, -1)
    actions, old_logp = rollout.actions.reshape(-1), rollout.logp.reshape(-1)
    advantages, returns = advantages.reshape(-1), returns.reshape(-1)
    for _ in range(config.epochs):
        order = rng.permutation(size)
        for lo in range(0, size, config.minibatch):
            idx = order[lo : lo + config.minibatch]
            adv = (advantages[idx] - advantages[idx].mean()) / (advantages[idx].std() + 1e-8)
            _, grads = ppo_loss_and_grads(params, obs[idx], actions[idx], old_logp[idx], adv, returns[idx], config)
            optimiser.update(params, grads)


def train_ppo(
    env_name: str,
    p_random_goal: float,
    budget_steps: int,
    seed: int,
    config: PPOConfig = PPOConfig(),
) -> TrainResult:
    """Train PPO for ``budget_steps`` environment steps on fresh ``train``-split levels.

    Each level's goal is randomised with probability ``p_random_goal``, else at the proxy
    location. Everything (levels, initial weights, actions, minibatches) is seeded by ``seed``.
    """
    started = time.perf_counter()
    rng = np.random.default_rng([seed, 7])

    def next_level() -> Level:
        return make_level(env_name, "train", int(rng.integers(2**31 - 1)), p_random_goal)

    batch = GridBatch(env_name, config.n_envs)
    for i in range(config.n_envs):
        batch.load(i, next_level())
    params = init_params(observation_size(env_name), config.hidden, rng)
    optimiser = Adam(params, config.learning_rate, config.max_grad_norm)
    result = TrainResult(params)
    episode_returns: list[float] = []
    obs = batch.observe()
    steps_per_update = config.n_envs * config.n_steps
    for update in range(max(1, budget_steps // steps_per_update)):
        rollout, obs = collect_rollout(params, batch, obs, config.n_steps, next_level, rng, episode_returns)
        ppo_update(params, optimiser, rollout, config, rng)
        recent = episode_returns[-200:]
        result.curve.append(((update + 1) * steps_per_update, float(np.mean(recent)) if recent else 0.0))
    result.episodes = len(episode_returns)
    result.seconds = time.perf_counter() - started
    return result


def policy_actions(params: Params, obs: np.ndarray, rng: np.random.Generator, greedy: bool = False) -> np.ndarray:
    """Actions of the trained policy: sampled from it (default) or its arg-max."""
    logits, _, _ = forward(params, obs)
    return logits.argmax(axis=1) if greedy else sample_actions(logits, rng)
