"""`tony card` runs its eval sets by sample limit, and the runs marked `last` after every other run; a progress line per
finished run."""

import io
import re
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import inspect_ai
from inspect_ai import Task, task, task_with
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.solver import generate

import tests.scripted_model  # noqa: F401  (registers tony-test-faulty)
from tony.card_run import Progress, RunSettings, run_plans


@dataclass(frozen=True)
class FakePlan:
    name: str
    limit: int | None
    last: bool = False
    datasets: tuple[str, ...] = ()

    def inspect_task(self):
        return self.name


def test_runs_marked_last_make_up_the_final_eval_set(monkeypatch, tmp_path):
    calls: list[list[str]] = []

    def fake_eval_set(tasks, **kwargs):
        calls.append(list(tasks))
        return True, [SimpleNamespace(location=str(tmp_path / f"{t}.eval"), eval=SimpleNamespace(task=t)) for t in tasks]

    monkeypatch.setattr(inspect_ai, "eval_set", fake_eval_set)
    plans = [FakePlan("monitor", None, last=True), FakePlan("af", None), FakePlan("faith", 8), FakePlan("ref", 12)]
    files = run_plans(plans, [p.name for p in plans], tmp_path, RunSettings(model="mockllm/model"))
    assert calls == [["faith"], ["ref"], ["af"], ["monitor"]]
    assert files == [tmp_path / f"{name}.eval" for name in ("monitor", "af", "faith", "ref")]  # the plans' order
    assert isinstance(files[0], Path)


def test_progress_line_estimates_the_rest_from_the_mean_time_per_finished_run() -> None:
    times = iter([100.0, 110.0, 130.0, 145.0])  # started, then three runs finish
    progress = Progress(3, clock=lambda: next(times))
    assert progress.line("faith", "success", 9.6) == (
        "tony: run 1 of 3 finished in 10 s: faith (success); 10 s elapsed; rough estimate for the 2 run(s) left: "
        "20 s (mean time per finished run × runs left)")
    assert progress.line("ref", "error", None).endswith("30 s elapsed; rough estimate for the 1 run(s) left: 15 s "
                                                          "(mean time per finished run × runs left)")
    assert progress.line("af", "success", 15.0) == "tony: run 3 of 3 finished in 15 s: af (success); 45 s elapsed; no run left"


@task
def progress_probe(items: int = 2) -> Task:
    return Task(dataset=MemoryDataset([Sample(id=i, input=f"say {i}") for i in range(items)]), solver=generate())


def test_tony_card_prints_a_line_per_finished_run(tmp_path) -> None:
    """Issue 22 item 5: three scripted runs in two eval sets (by limit), one at a time; a fake clock."""
    plans = [FakePlan("probe_a", 1), FakePlan("probe_b", None), FakePlan("probe_c", None)]
    tasks = [task_with(progress_probe(), name=plan.name) for plan in plans]
    times = iter([0.0, 10.0, 30.0, 45.0])
    stream = io.StringIO()
    run_plans(plans, tasks, tmp_path, RunSettings(model="tony-test-faulty/ok", display="none", max_tasks=1),
              Progress(3, stream, clock=lambda: next(times)))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    pattern = r"tony: run {} of 3 finished in \d+ s: probe_[abc] \(success\); {}"
    assert re.fullmatch(pattern.format(1, "10 s elapsed; rough estimate for the 2 run\\(s\\) left: 20 s \\(mean time per "
                                       "finished run × runs left\\)"), lines[0])
    assert re.fullmatch(pattern.format(2, "30 s elapsed; rough estimate for the 1 run\\(s\\) left: 15 s \\(mean time per "
                                       "finished run × runs left\\)"), lines[1])
    assert re.fullmatch(pattern.format(3, "45 s elapsed; no run left"), lines[2])
    assert "probe_a" in lines[0]  # the limit-1 eval set runs first
