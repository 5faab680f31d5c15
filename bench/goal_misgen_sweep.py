"""Full goal-misgeneralization sweep (Shah et al. 2022, arXiv:2210.01790): both grid worlds,
p in {0, 0.01, 0.02, 0.05, 0.1, 0.2, 1}, 5 seeds each; prints the outcome tables and wall time.

    OMP_NUM_THREADS=1 nice -n 10 python bench/goal_misgen_sweep.py [--out DIR] [--workers 2] [--tiny]

Results are cached per (environment, p, seed) under --out (default ~/.cache/tony/goal_misgen),
so a second run only prints; the figures are written there as SVG files.

`--tiny`: coinrun only, p = 0, one seed trained for the quick suite's smoke budget (4,000 steps), in one process, into
a temporary folder unless --out is given: it checks that the sweep, the table and the figures run; the rates of so
short a training say nothing about goal misgeneralization.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one thread per worker process: small matrices

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from tony.evals.goal_misgen import experiment  # noqa: E402
from tony.evals.goal_misgen.envs import make_level  # noqa: E402
from tony.evals.goal_misgen.plugin import SMOKE_BUDGET  # noqa: E402


def example_episode_svg(out_dir: Path, env_name: str, budget: int) -> str:
    """Picture of a p = 0, seed 0 agent on a held-out level: a misgeneralizing episode if any."""
    params = experiment.load_params(experiment.cache_path(out_dir, env_name, 0.0, 0, budget))
    levels = [make_level(env_name, "test", s, 1.0) for s in experiment.shifted_test_seeds(env_name, 40)[0]]
    episodes = experiment.run_episodes(params, levels, seed=0, record=True)
    pick = next((i for i, e in enumerate(episodes) if e["outcome"] == "proxy"), 0)
    return experiment.render_episode_svg(levels[pick], episodes[pick]["path"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="cache and figures (default ~/.cache/tony/goal_misgen)")
    parser.add_argument("--envs", nargs="+", default=["coinrun", "maze"])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tiny", action="store_true", help="coinrun, p = 0, one seed, 4,000 steps, one process")
    args = parser.parse_args()
    unknown = [name for name in args.envs if name not in experiment.DEFAULT_BUDGETS]
    if unknown:
        parser.error(f"--envs: unknown world(s) {', '.join(unknown)}; choose from {', '.join(experiment.DEFAULT_BUDGETS)}")
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    ps = experiment.DEFAULT_PS
    if args.tiny:
        args.envs, args.seeds, args.workers, ps = ["coinrun"], 1, 1, (0.0,)
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or (Path(scratch) if args.tiny else Path.home() / ".cache" / "tony" / "goal_misgen")
        sweep(args.envs, args.seeds, ps, args.workers, out, SMOKE_BUDGET if args.tiny else None)
    print(f"measured: outcome shares (goal, proxy, neither) of PPO agents on held-out levels per p in "
          f"{', '.join(f'{p:g}' for p in ps)}, {args.seeds} seed(s), in {', '.join(args.envs)}, and the wall time"
          + (f"; --tiny: {SMOKE_BUDGET:,} training steps, too few to read the rates as results" if args.tiny else ""))


def sweep(envs: list[str], seeds: int, ps: tuple[float, ...], workers: int, out: Path, budget: int | None) -> None:
    started = time.perf_counter()
    for env_name in envs:
        env_started = time.perf_counter()
        env_budget = experiment.DEFAULT_BUDGETS[env_name] if budget is None else budget
        summary = experiment.run_sweep(env_name, out, seeds=range(seeds), ps=ps, budget=env_budget, workers=workers)
        (out / env_name / "outcomes.svg").write_text(experiment.plot_outcomes(summary))
        (out / env_name / "example_p0_episode.svg").write_text(example_episode_svg(out, env_name, env_budget))
        print(f"\n== {env_name}: {env_budget:,} training steps per run, {seeds} seeds, "
              f"{experiment.N_TEST_LEVELS} held-out levels per run; mean [95% t-interval over seeds, clipped to [0, 1]]; "
              + ("outcome = the target reached first" if experiment.SCORE_BY_FIRST_TARGET[env_name]
                 else "outcome = goal if reached at all, else proxy if reached"))
        print(experiment.format_table(summary))
        seen = ", ".join(f"{row['test_goal_seen']:.2f}" for row in summary["rows"])
        in_proxy = summary["rows"][0]["test_goal_in_proxy"]
        print(f"share of test episodes where the goal came into view, by p: {seen}")
        print(f"share of drawn test levels whose goal fell inside the proxy region (excluded, replaced by the "
              f"next test levels): {in_proxy:.3f}; behind it (every shortest way to the goal enters it, also excluded): "
              f"{summary['rows'][0]['test_goal_behind_proxy']:.3f}")
        print(f"{env_name} wall time: {time.perf_counter() - env_started:.0f} s")
    print(f"\ntotal wall time: {time.perf_counter() - started:.0f} s ({workers} worker processes); "
          f"results and figures in {out}")


if __name__ == "__main__":
    main()
