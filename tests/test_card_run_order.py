"""`tony card` runs its eval sets by sample limit, and the runs marked `last` after every other run."""

from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import inspect_ai

from tony.card_run import RunSettings, run_plans


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
