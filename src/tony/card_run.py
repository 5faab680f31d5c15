"""`tony card`'s runs, through Inspect's eval-set machinery, and the checks made before any model time is spent.

Resume: every run of a suite is a task of an Inspect eval set in `<out>/logs`. Run the same command again after a
crash or a kill and Inspect reuses each finished log, recovers the samples a killed run had finished (from the
.eval file and Inspect's sample buffer) and runs only what is left. A run whose samples errored ends with status
`error`; the next `tony card` retries only its errored samples.

Cache: Inspect's response cache is on (`--no-cache` turns it off); grader-role (judge) models inherit it, with the
retry and timeout settings, from the eval's generation config, so a finished card re-runs without a model call.
The cache key is the prompt and the generation config (and the epoch), not the sample: two samples that send the
same prompt with temperature > 0 (e.g. alignment faking's `samples_per_query` > 1) get the same reply while the cache
is on; use `--no-cache` for such runs.

Progress: while the runs go, one line per finished run on stderr (`Progress`, fed by an Inspect task-end hook):
its own time, the card's elapsed time, and a rough estimate for the rest (mean time per finished run so far × runs
left; runs reused from an earlier try finish at once and are not counted as finished here, so it errs long).

Retries: transient model errors (timeouts, HTTP 429 and 5xx, as each provider classifies them) are retried by
Inspect up to `--max-retries` times within `--timeout` seconds per call; what still fails is an errored sample.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any, Protocol, TextIO

from inspect_ai.hooks import Hooks, TaskEnd, hooks

from tony.card.logs import CardError, read_log
from tony.core.data import DataError, file_names, resolve_file

DEFAULT_MAX_RETRIES = 5
DEFAULT_TIMEOUT_S = 300


class Plan(Protocol):
    """What `tony.cli.suite_plan` returns for each run (its `EvalPlan`)."""

    name: str
    limit: int | None
    datasets: tuple[str, ...]

    def inspect_task(self) -> Any: ...


@dataclass(frozen=True)
class RunSettings:
    """How the eval set runs: the model and its arguments, the judge, and Inspect's operational options."""

    model: str
    model_args: dict[str, Any] = field(default_factory=dict)
    judge: str | None = None
    display: str = "full"
    cache: bool = True
    max_retries: int = DEFAULT_MAX_RETRIES
    timeout: int = DEFAULT_TIMEOUT_S
    max_connections: int | None = None
    max_tasks: int | None = None
    batch: bool | int | None = None

    def generate_config(self) -> dict[str, Any]:
        """GenerateConfig fields for the eval set (inherited by grader-role models too)."""
        config: dict[str, Any] = {"cache": self.cache, "max_retries": self.max_retries, "timeout": self.timeout}
        if self.max_connections is not None:
            config["max_connections"] = self.max_connections
        if self.batch is not None:
            config["batch"] = self.batch
        return config


def check_datasets(plans: Sequence[Plan], data_dir: str | None) -> None:
    """Every public dataset the plans read must be present (or downloadable) before any model time: one DataError
    lists every missing one."""
    missing: dict[str, int] = {}
    for dataset in sorted({name for plan in plans for name in plan.datasets}):
        for file in file_names(dataset):
            try:
                resolve_file(dataset, file, data_dir)
            except DataError:
                missing[dataset] = missing.get(dataset, 0) + 1
    if missing:
        listed = ", ".join(f"{dataset} ({count} file{'s' if count > 1 else ''})" for dataset, count in missing.items())
        where = data_dir or "no --data-dir"
        raise DataError(f"public datasets missing, nothing was run: {listed}; put them in the data directory "
                        f"({where}) as <dataset>/<file>, or allow a download with --download")


def build_tasks(plans: Sequence[Plan]) -> list[Any]:
    """Every run's Inspect task, built before any model time; one DataError names every run that cannot load."""
    tasks, problems = [], []
    for plan in plans:
        try:
            tasks.append(plan.inspect_task())
        except DataError as error:
            problems.append(f"{plan.name}: {error}")
    if problems:
        raise DataError(f"{len(problems)} run(s) cannot load their data, nothing was run: {' | '.join(problems)}")
    return tasks


def check_one_model(log_dir: Path, model: str) -> None:
    """A card is one model's card: refuse a folder that holds another model's logs (unreadable files are left to
    the card, which names and skips them)."""
    if not log_dir.is_dir():
        return
    others = set()
    for path in sorted(log_dir.glob("*.eval")):
        try:
            logged = read_log(path, header_only=True).eval.model
        except CardError:
            continue
        if logged != model:
            others.add(logged)
    if others:
        raise CardError(f"{log_dir} holds the logs of {', '.join(sorted(others))}; a card is one model's card: give "
                        f"{model} its own folder with --out")


class Progress:
    """`tony card`'s own progress line, one per finished run."""

    def __init__(self, total: int, stream: TextIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.clock = total, stream, clock
        self.started = clock()
        self.finished = 0

    def line(self, run: str, status: str, run_seconds: float | None) -> str:
        """Count one more finished run and say where the card stands: elapsed ÷ finished × left as the estimate."""
        self.finished += 1
        elapsed = self.clock() - self.started
        left = max(self.total - self.finished, 0)
        own = "" if run_seconds is None else f" in {run_seconds:.0f} s"
        estimate = (f"rough estimate for the {left} run(s) left: {elapsed / self.finished * left:.0f} s "
                    "(mean time per finished run × runs left)") if left else "no run left"
        return f"tony: run {self.finished} of {self.total} finished{own}: {run} ({status}); {elapsed:.0f} s elapsed; {estimate}"

    def run_finished(self, run: str, status: str, run_seconds: float | None) -> None:
        print(self.line(run, status, run_seconds), file=self.stream or sys.stderr, flush=True)


_progress: Progress | None = None  # set while run_plans runs


@hooks(name="tony_card_progress", description="tony card: one line per finished run, with an estimate for the rest")
class ProgressHook(Hooks):
    def enabled(self) -> bool:
        return _progress is not None

    async def on_task_end(self, data: TaskEnd) -> None:
        if _progress is not None:
            log = data.log
            _progress.run_finished(log.eval.task.split("/")[-1], log.status, _run_seconds(log))


def _run_seconds(log: Any) -> float | None:
    from datetime import datetime

    stats = getattr(log, "stats", None)
    if stats is None or not stats.started_at or not stats.completed_at:
        return None
    return (datetime.fromisoformat(stats.completed_at) - datetime.fromisoformat(stats.started_at)).total_seconds()


def run_plans(plans: Sequence[Plan], tasks: Sequence[Any], log_dir: Path, settings: RunSettings,
              progress: Progress | None = None) -> list[Path]:
    """Run (or resume) every plan as part of an Inspect eval set in `log_dir`; return the log file of each run, in
    the plans' order. Inspect's eval set takes one sample limit, so runs are grouped by their limit, one eval set per
    group; runs marked `last` (e.g. a monitor reading the others' logs) make up the final groups. A line per
    finished run goes to stderr (`progress`, by default one counting these plans)."""
    global _progress
    _progress = progress or Progress(len(plans))
    try:
        return _run_eval_sets(plans, tasks, log_dir, settings)
    finally:
        _progress = None


def _run_eval_sets(plans: Sequence[Plan], tasks: Sequence[Any], log_dir: Path, settings: RunSettings) -> list[Path]:
    from inspect_ai import eval_set

    files: dict[str, Path] = {}
    paired = sorted(zip(plans, tasks), key=lambda pair: _group_key(pair[0]))
    for (_, limit), group in groupby(paired, key=lambda pair: (_is_last(pair[0]), pair[0].limit)):
        _, logs = eval_set(
            [task for _, task in group], log_dir=str(log_dir), model=settings.model, model_args=settings.model_args,
            model_roles={"grader": settings.judge} if settings.judge else None, limit=limit,
            display=settings.display, log_format="eval", ctl_server=False,
            # Every sample is tried; a run with errored samples ends as `error` and the next `tony card` retries
            # just those. Transient errors are retried per call (max_retries), not by re-running whole tasks.
            fail_on_error=True, continue_on_fail=True, retry_attempts=1, retry_immediate=False,
            log_dir_allow_dirty=True, max_tasks=settings.max_tasks, **settings.generate_config(),
        )
        for log in logs:
            if not log.location:
                raise CardError(f"Inspect returned no log file for {log.eval.task}")
            files[log.eval.task] = Path(log.location.removeprefix("file://"))
    missing = [plan.name for plan in plans if plan.name not in files]
    if missing:
        raise CardError(f"Inspect returned no log for {', '.join(missing)}")
    return [files[plan.name] for plan in plans]


def _is_last(plan: Plan) -> bool:
    return bool(getattr(plan, "last", False))


def _group_key(plan: Plan) -> tuple[bool, int]:
    """Eval sets run in this order: by sample limit, then the runs that must come after all others (`last`)."""
    return _is_last(plan), _limit_order(plan.limit)


def _limit_order(limit: int | None) -> int:
    return sys.maxsize if limit is None else limit
