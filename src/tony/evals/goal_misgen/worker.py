"""One (environment, p, seed) run of the goal-misgeneralization sweep, in its own process.

``rl_task`` starts ``python -m tony.evals.goal_misgen.worker '<job JSON>'`` for each sample, so
that training (numpy, CPU-bound, 10-60 s) never blocks Inspect's event loop and a crash stays
inside one sample. The job is ``{"env", "p", "seed", "budget", "cache_dir", "episodes"}``;
``episodes`` lists the example episodes to render (``"proxy"``: a misgeneralizing test episode,
``"goal"``: one that reaches a goal placed away from the proxy).

The run is loaded from the sweep's cache (``experiment.cache_path``) or trained and cached
exactly as ``experiment.run_sweep`` does. The only output on stdout is one JSON line:
``{"record": <cached result>, "cached": bool, "episodes": {kind: {...} | null}}``. Any failure
exits non-zero with the traceback on stderr.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # small matrices: one thread per training process

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from tony.evals.goal_misgen import experiment  # noqa: E402
from tony.evals.goal_misgen.envs import make_level  # noqa: E402

EXAMPLE_LEVELS = 40  # the first shifted held-out test levels searched for an example episode
EXAMPLE_SEED = 0
EPISODE_KINDS = ("proxy", "goal")


def ensure_run(env_name: str, p: float, seed: int, budget: int, cache_dir: Path,
               n_test: int = experiment.N_TEST_LEVELS) -> tuple[dict[str, Any], Path, bool]:
    """The cached record of one run, training it first if it is not cached; (record, path, was_cached)."""
    path = experiment.cache_path(cache_dir, env_name, p, seed, budget, n_test)
    cached = path.exists()
    if not cached:
        path.parent.mkdir(parents=True, exist_ok=True)
        experiment._run_job((env_name, float(p), int(seed), int(budget), str(path)), int(n_test))  # caches atomically
    return json.loads(path.read_text()), path, cached


def example_episode(path: Path, env_name: str, kind: str) -> dict[str, Any] | None:
    """One held-out test episode (goal outside the proxy region and not behind it) where the agent shows ``kind``,
    rendered as SVG.

    ``proxy``: it reached the proxy first - the first such episode in which the goal came into
    view, else the first; ``goal``: the longest episode that reaches the goal first. None if no
    such episode occurs among the first ``EXAMPLE_LEVELS`` such levels.
    """
    params = experiment.load_params(path)
    seeds, _ = experiment.shifted_test_seeds(env_name, EXAMPLE_LEVELS)  # goals neither inside nor behind the proxy
    levels = [make_level(env_name, "test", s, 1.0) for s in seeds]
    episodes = experiment.run_episodes(params, levels, seed=EXAMPLE_SEED, record=True)
    wanted = [
        i for i, e in enumerate(episodes)
        if e["outcome"] == kind and (kind != "goal" or not e["goal_in_proxy"])
    ]
    if not wanted:
        return None
    if kind == "proxy":  # prefer an episode where the goal came into view and was passed by
        i = next((j for j in wanted if episodes[j]["saw_goal"]), wanted[0])
    else:  # the longest goal-reaching episode: more of the agent's navigation is visible
        i = max(wanted, key=lambda j: (episodes[j]["length"], -j))
    import tony.card.plots  # noqa: F401  (Agg backend, stable SVG ids)

    level, episode = levels[i], episodes[i]
    return {
        "kind": kind,
        "level": i,
        "split": "test",
        "outcome": episode["outcome"],
        "start": list(level.start),
        "goal": list(level.goal),
        "end": list(episode["path"][-1]),
        "steps": episode["length"],
        "saw_goal": episode["saw_goal"],
        "svg": experiment.render_episode_svg(level, episode["path"]),
    }


def run(job: dict[str, Any]) -> dict[str, Any]:
    record, path, cached = ensure_run(job["env"], job["p"], job["seed"], job["budget"], Path(job["cache_dir"]),
                                      job.get("test_levels", experiment.N_TEST_LEVELS))
    episodes = {kind: example_episode(path, job["env"], kind) for kind in job.get("episodes", [])}
    return {"record": record, "cached": cached, "episodes": episodes}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m tony.evals.goal_misgen.worker '<job JSON>'", file=sys.stderr)
        return 2
    job = json.loads(args[0])
    unknown = [kind for kind in job.get("episodes", []) if kind not in EPISODE_KINDS]
    if unknown:
        raise ValueError(f"unknown episode kind(s) {unknown}")
    print(json.dumps(run(job)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
