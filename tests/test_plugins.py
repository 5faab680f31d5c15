"""Evaluations are plugins: one registered in a test reaches `tony evals`, the suites and the card with no edit to
card/ or cli.py; card/ and cli.py name no evaluation and import none; `--limit` scales every suite entry down."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from inspect_ai import Task, task
from inspect_ai import eval as inspect_eval
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog
from inspect_ai.solver import generate

from tony.card.build import build_card, card_sections
from tony.card.section import HeadlineMetric, Section
from tony.cli import main, suite_plan
from tony.core.plugin import (
    LIMIT_KEY,
    Evaluation,
    Paper,
    PluginError,
    Scaled,
    SuiteEntry,
    evaluations,
    register,
    task_function,
    unregister,
)
from tony.core.stats.intervals import wilson_interval
from tony.evals.goal_misgen.experiment import N_TEST_LEVELS, cache_path, settings_key
from tony.evals.goal_misgen.plugin import SMOKE_TEST_LEVELS

SOURCE = Path(__file__).parents[1] / "src" / "tony"
FAKE_PAPER = Paper("Zzyzx et al. 2031", "A paper no one wrote")


@task
def plugin_probe(items: int = 5) -> Task:
    """A probe task registered only by this test."""
    return Task(dataset=MemoryDataset([Sample(id=f"q{i}", input=f"say {i}") for i in range(items)]), solver=generate())


def probe_section(log: EvalLog) -> Section:
    n = len(log.samples or [])
    return Section(task=log.eval.task, title="Plugin probe section", headline=f"{n} samples answered.", method="m",
                   judge="none", columns=["n"], rows=[[n]],
                   headline_metrics=[HeadlineMetric.of("probe rate", wilson_interval(n, n), n, "samples", 0, "zzyzx 0.5")])


@pytest.fixture
def probe() -> Iterator[Evaluation]:
    evaluation = register(Evaluation(
        name="plugin_probe", paper=FAKE_PAPER, position=99, tasks={"plugin_probe": plugin_probe},
        sections={"plugin_probe": probe_section},
        quick=(SuiteEntry("plugin_probe", "plugin_probe", {"items": 3}, 2),),
        full=(SuiteEntry("plugin_probe", "plugin_probe", {"items": 5}, whole=True,
                         scale=lambda n: Scaled({"items": n}, None)),),
    ))
    yield evaluation
    unregister(evaluation.name)


def test_a_registered_plugin_is_listed_planned_and_carded(probe, tmp_path, capsys):
    assert main(["evals"]) == 0
    listing = capsys.readouterr().out
    assert re.search(r"tony/plugin_probe\s+Zzyzx et al\. 2031\s+A probe task", listing), listing

    quick = [plan for plan in suite_plan("quick", None) if plan.task == "plugin_probe"]
    assert [(plan.name, plan.args, plan.limit) for plan in quick] == [("plugin_probe", {"items": 3}, 2)]
    (full,) = [plan for plan in suite_plan("full", None, limit=1) if plan.task == "plugin_probe"]
    assert (full.args, full.limit, full.limited) == ({"items": 1}, None, 1)

    logs = tmp_path / "logs"
    (log,) = inspect_eval(full.inspect_task(), model="tony-test-scripted/x", limit=full.limit, log_dir=str(logs),
                          display="none", ctl_server=False)
    assert log.status == "success" and log.eval.metadata[LIMIT_KEY] == 1
    build_card(logs, tmp_path / "card")
    card = json.loads((tmp_path / "card" / "card.json").read_text())
    (section,) = [s for s in card["sections"] if s["title"] == "Plugin probe section"]
    assert section["limited"] == "--limit 1" and section["log_files"] == [Path(log.location).name]
    html = (tmp_path / "card" / "index.html").read_text()
    assert f'<a href="#{section["anchor"]}">Plugin probe section</a></td><td>probe rate</td>' in html
    assert "<td>zzyzx 0.5</td><td>--limit 1</td>" in html
    assert "| [Plugin probe section](#plugin_probe) | probe rate |" in (tmp_path / "card" / "card.md").read_text()


def test_two_runs_of_one_task_get_distinct_section_ids(probe, tmp_path):
    for items in (1, 2):
        inspect_eval(plugin_probe(items=items), model="tony-test-scripted/x", log_dir=str(tmp_path / "logs"), display="none",
                     ctl_server=False)
    build_card(tmp_path / "logs", tmp_path / "card")
    ids = re.findall(r'\bid="([^"]+)"', (tmp_path / "card" / "index.html").read_text())
    assert len(ids) == len(set(ids)) and {"plugin_probe", "plugin_probe-2"} <= set(ids), ids


def test_sections_keep_the_evaluations_order(probe):
    names = [evaluation.name for evaluation in evaluations()]
    assert names[-1] == "plugin_probe"
    assert names.index("faithfulness") < names.index("refusals") < names.index("goal_misgen")


def test_bad_declarations_are_refused(probe):
    with pytest.raises(PluginError, match="unknown task"):
        register(Evaluation(name="broken", paper=FAKE_PAPER, position=1, tasks={}, sections={"x": probe_section}))
    with pytest.raises(PluginError, match="must declare how --limit scales it"):
        register(Evaluation(name="broken", paper=FAKE_PAPER, position=1, tasks={"t": plugin_probe}, sections={},
                            quick=(SuiteEntry("t", "t", whole=True),)))
    with pytest.raises(PluginError, match="both register"):
        register(Evaluation(name="copy", paper=FAKE_PAPER, position=1, tasks={"plugin_probe": plugin_probe}, sections={}))
    with pytest.raises(PluginError, match="no evaluation registers"):
        task_function("no_such_task")


# ---------------------------------------------------------------- card/ and cli.py know no evaluation


def _generic_files() -> list[Path]:
    return sorted((SOURCE / "card").glob("*.py")) + [SOURCE / "cli.py"]


def test_card_and_cli_name_no_evaluation():
    names = {"faithfulness", "refusals", "goal_misgen", "alignment_faking", "jailbreaks"}
    for evaluation in evaluations():
        names |= {evaluation.name, *evaluation.tasks, evaluation.paper.citation.split()[0]}
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names)), re.IGNORECASE)
    found = [f"{path.name}:{number}: {line.strip()}" for path in _generic_files()
             for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert not found, "\n".join(found)


def test_card_and_cli_import_no_evaluation():
    for path in _generic_files():
        for node in ast.walk(ast.parse(path.read_text())):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(module.startswith(("tony.evals", "tony._registry")) for module in modules), (path, modules)


# ---------------------------------------------------------------- --limit scales every entry down


def _samples(plan) -> int:
    built = plan.inspect_task()
    return len(built.dataset) if plan.limit is None else min(plan.limit, len(built.dataset))


@pytest.mark.parametrize("suite", ["quick", "full"])
def test_limit_scales_every_entry_down_and_marks_it(suite):
    plain = {plan.name: plan for plan in suite_plan(suite, None)}
    limited = suite_plan(suite, None, limit=1)
    assert [plan.name for plan in limited] == list(plain)
    for plan in limited:
        task_built = plan.inspect_task()
        assert task_built.metadata[LIMIT_KEY] == 1 and task_built.name == plan.name
        assert _samples(plan) < _samples(plain[plan.name]), plan.name
        assert _samples(plan) <= 12, (plan.name, _samples(plan))  # a smoke test: a few samples per run at most


def test_limit_one_keeps_a_small_rl_sweep_and_a_balanced_judge_check():
    plans = {plan.name: plan for plan in suite_plan("quick", None, limit=1)}
    rl = plans["goal_misgen_rl"].inspect_task()
    assert {(s.metadata["p"], s.metadata["seed"]) for s in rl.dataset} == {(0.0, 0), (1.0, 0)}
    assert {s.metadata["test_levels"] for s in rl.dataset} == {SMOKE_TEST_LEVELS} == {rl.metadata["test_levels"]}
    # fewer test levels are cached apart; the default keeps the cache key it had before the option existed
    assert cache_path(Path("c"), "maze", 0.0, 0, 4000, SMOKE_TEST_LEVELS) != cache_path(Path("c"), "maze", 0.0, 0, 4000)
    assert settings_key("maze", 4000) == settings_key("maze", 4000, N_TEST_LEVELS)
    questions = plans["faithfulness"].inspect_task()
    assert questions.metadata["hint_types"] == ["sycophancy", "unethical_information"] and plans["faithfulness"].limit == 1
    judge = plans["faithfulness_judge"].inspect_task()
    labels = [(s.metadata["hint_type"], s.target[0]) for s in judge.dataset]
    assert len(labels) == len(set(labels)) == 12  # one chain of each label per hint type


def test_every_registered_task_resolves_as_tony_name():
    """What `inspect eval tony/<name>` does first: Inspect loads tony's entry point and finds each task by name."""
    import subprocess
    import sys

    names = [name for evaluation in evaluations() for name in evaluation.tasks]
    code = ("import sys; from inspect_ai._eval.registry import task_create\n"
            "for name in sys.argv[1:]: assert task_create(f'tony/{name}').name, name")
    result = subprocess.run([sys.executable, "-c", code, *names], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]


def test_limit_replaces_the_suites_own_sample_limit():
    """`--limit N` means about N samples per run, as for entries that declare their own scaling (old behaviour)."""
    for n in (5, 40):
        (plan,) = [plan for plan in suite_plan("quick", None, limit=n) if plan.name == "refusals"]
        assert plan.limit == n  # the quick suite's own limit is 10


def test_risk_and_harm_declarations_are_checked():
    from tony.core.harm import HarmProfile
    from tony.core.scorecard_types import RiskMetric

    with pytest.raises(ValueError, match="unknown risk area"):
        RiskMetric("weather", "t", "rate", True)
    with pytest.raises(ValueError, match="unknown kinds"):
        HarmProfile("insults", ("insult",), ("instance",), ("textual",), ("reader",))
    with pytest.raises(PluginError, match="no card section"):
        register(Evaluation(name="broken", paper=FAKE_PAPER, position=1, tasks={"t": plugin_probe}, sections={},
                            risks=(RiskMetric("toxicity", "t", "rate", True),)))
    profile = HarmProfile("insults", ("representation",), ("instance",), ("textual",), ("reader",))
    with pytest.raises(PluginError, match="harm profile for unknown task"):
        register(Evaluation(name="broken", paper=FAKE_PAPER, position=1, tasks={"t": plugin_probe}, sections={},
                            harms={"u": profile}))
