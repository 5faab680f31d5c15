"""tony compare: the statistics against hand-computed and published values, pairing, gates, bad input and the HTML
card, on small logs written by the scripted test model (tests/conftest.py) (no embedded model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai import Task, eval, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, read_eval_log, write_eval_log
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer
from inspect_ai.solver import TaskState, generate
from inspect_ai.tool import ToolChoice, ToolInfo

from tony.cli import main
from tony.compare.stats import (fisher_exact_p, holm, mcnemar_exact, mover_difference, newcombe_unpaired,
                                paired_bootstrap, unpaired_bootstrap)
from tony.core.stats.intervals import Interval

SCRIPT = "<script>alert('x')</script>"


# --- statistics -------------------------------------------------------------------------------------------------

def test_mcnemar_exact_by_hand_and_published():
    # Fagerland, Lydersen & Laake 2013 (BMC Med Res Methodol 13:91), Bentur et al. airway hyper-responsiveness:
    # discordant pairs 1 and 7; exact conditional p = 2 · (1 + 8) / 2^8 = 18/256 = 0.0703 (printed 0.070).
    assert mcnemar_exact(1, 7) == pytest.approx(18 / 256)
    assert mcnemar_exact(7, 1) == pytest.approx(18 / 256)
    assert mcnemar_exact(0, 5) == pytest.approx(2 / 32)  # 2 · P[X = 0], X ~ Bin(5, ½)
    assert mcnemar_exact(3, 3) == 1.0  # capped at 1
    assert mcnemar_exact(0, 0) == 1.0  # no discordant pair: no evidence


def test_newcombe_unpaired_published_examples():
    # Newcombe 1998, Stat. Med. 17:873, Table II, method 10: 56/70 − 48/80 = 0.2000 (0.0524, 0.3339);
    # 9/10 − 3/10 = 0.6 (0.1705, 0.8090).
    first = newcombe_unpaired(56, 70, 48, 80)
    assert (first.value, first.low, first.high) == pytest.approx((0.2, 0.0524, 0.3339), abs=5e-5)
    second = newcombe_unpaired(9, 10, 3, 10)
    assert (second.value, second.low, second.high) == pytest.approx((0.6, 0.1705, 0.8090), abs=5e-5)
    assert newcombe_unpaired(1, 0, 1, 2).value is None


def test_mover_by_hand():
    # 0.5 [0.3, 0.6] − 0.2 [0.1, 0.4]: L = 0.3 − √(0.2² + 0.2²) = 0.017157, U = 0.3 + √(0.1² + 0.1²) = 0.441421
    difference = mover_difference(Interval(0.5, 0.3, 0.6), Interval(0.2, 0.1, 0.4))
    assert (difference.value, difference.low, difference.high) == pytest.approx((0.3, 0.017157, 0.441421), abs=1e-6)
    assert mover_difference(Interval(0.5, None, None), Interval(0.2, 0.1, 0.4)) == Interval(0.3, None, None)
    assert mover_difference(Interval(None, None, None), Interval(0.2, 0.1, 0.4)).value is None


def test_fisher_exact_by_hand():
    # 3/3 vs 0/3: the observed table and its mirror each have probability 1 / C(6, 3) = 1/20, so p = 0.1.
    assert fisher_exact_p(3, 3, 0, 3) == pytest.approx(0.1)


def test_holm_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 (m = 4): ×4, ×3, ×2, ×1 = 0.02, 0.03, 0.06, 0.04 -> monotone 0.02, 0.03, 0.06, 0.06
    assert holm([0.01, 0.04, 0.03, 0.005, None]) == pytest.approx([0.03, 0.06, 0.06, 0.02, None])
    assert holm([0.9, 0.01]) == pytest.approx([0.9, 0.02])  # 0.01 × 2; 0.9 × 1
    assert holm([0.9, 0.8]) == [1.0, 1.0]  # 0.8 × 2 = 1.6, capped at 1; then at least 1


def test_bootstrap_by_hand():
    # every item gains 0.5: every resample gives 0.5, a zero-width "interval" and the smallest p: neither is given
    interval, p = paired_bootstrap([0.0, 0.0, 0.5], [0.5, 0.5, 1.0])
    assert (interval.value, interval.low, interval.high, p) == (0.5, None, None, None)
    interval, p = paired_bootstrap([0.0, 1.0], [1.0, 0.0])  # means of resamples: −1, 0, 0, 1
    assert interval.value == 0.0 and interval.low == pytest.approx(-1.0) and interval.high == pytest.approx(1.0)
    assert p == 1.0
    interval, p = paired_bootstrap([0.0] * 10, [0.1 * i for i in range(1, 11)])  # no draw ≤ 0
    assert p == pytest.approx(2 / 2001) and p > 1 / 2001  # the smallest p the 2000 resamples allow
    interval, p = unpaired_bootstrap([0.0, 0.0], [1.0, 1.0, 1.0])
    assert (interval.value, interval.low, interval.high, p) == (1.0, None, None, None)


# --- logs written by the scripted test model -----------------------------------------------------------------------

@scorer(metrics=[mean()])
def scripted_scores() -> Scorer:
    """passed: 1; verdict: a category ("refuse" on odd items, else "comply"); quality: a number in [0, 1]."""
    async def score(state: TaskState, target: Target) -> Score:
        index = int(str(state.sample_id).split("-")[1])
        return Score(value={"passed": 1.0, "verdict": "refuse" if index % 2 else "comply", "quality": index / 20})

    return score


@task
def compare_items() -> Task:
    samples = [Sample(id=f"item-{i:02d}", input=f"Question {i}?") for i in range(20)]
    return Task(dataset=MemoryDataset(samples), solver=generate(), scorer=scripted_scores(), name="items")


def variant(log: EvalLog, folder: Path, failing: int = 0, label: str = "refuse", prefix: str = "item",
            wording: str = "Question", model: str | None = None, task_name: str | None = None) -> Path:
    """A copy of a log with its first `failing` items failed, odd items' verdict `label`, ids and inputs renamed, or
    another model or task, written to `folder/logs` (faster than another eval)."""
    copy = log.model_copy(deep=True)
    for index, sample in enumerate(copy.samples or []):
        sample.id, sample.input = f"{prefix}-{index:02d}", f"{wording} {index}?"
        value = sample.scores["scripted_scores"].value  # type: ignore[index]
        value["passed"] = 0.0 if index < failing else 1.0  # type: ignore[index]
        value["verdict"] = label if index % 2 else "comply"  # type: ignore[index]
    copy.eval.model = model or copy.eval.model
    copy.eval.task = task_name or copy.eval.task
    copy.eval.eval_id = copy.eval.run_id = f"{folder.name}-{model}-{task_name}"
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    write_eval_log(copy, str(folder / "logs" / f"{folder.name}-{copy.eval.task}-{len(list(folder.glob('logs/*')))}.eval"))
    return folder


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("compare")
    [log] = eval(compare_items(), model="tony-test-scripted/a", log_dir=str(root / "a" / "logs"), display="none")
    log = read_eval_log(str(log.location))
    variant(log, root / "mixed")
    variant(log, root / "mixed", model="tony-test-scripted/other")
    (root / "empty").mkdir()
    return {
        "a": root / "a",
        "b": variant(log, root / "b", failing=8, label=SCRIPT),
        "other_ids": variant(log, root / "other_ids", failing=8, prefix="other"),
        "other_inputs": variant(log, root / "other_inputs", failing=8, wording="Reworded"),
        "unrelated": variant(log, root / "unrelated", task_name="unrelated"),
        "mixed": root / "mixed", "empty": root / "empty", "root": root,
    }


def compare(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["compare", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def metrics_of(out: Path) -> dict[str, dict]:
    return {row["name"]: row for row in json.loads((out / "comparison.json").read_text())["metrics"]}


def test_paired_comparison_finds_the_regression(folders, capsys, tmp_path):
    code, out, err = compare(capsys, str(folders["a"]), str(folders["b"]), "--out", str(tmp_path))
    assert code == 0, err
    rows = metrics_of(tmp_path)
    passed = rows["items/scripted_scores/passed"]
    # 20 pairs; A passes all, B fails the first 8: discordant 8 (A only) and 0 (B only), McNemar p = 2/2^8.
    assert passed["paired"] and passed["n_paired"] == 20 and passed["discordant"] == [8, 0]
    assert passed["difference"]["value"] == pytest.approx(-0.4)
    assert passed["p"] == pytest.approx(2 / 256)
    assert passed["significant"] is True
    quality = rows["items/scripted_scores/quality"]  # identical numbers: every resample gives 0, no interval, no test
    assert quality["paired"] and [quality["difference"][key] for key in ("value", "low", "high")] == [0.0, None, None]
    assert quality["p"] is None and quality["untested"].startswith("no spread")
    assert f"items/scripted_scores/verdict={SCRIPT}" in rows and "items/scripted_scores/verdict=comply" in rows
    # one 0/1 metric per category seen in either run: comply, refuse (A) and the script tag (B)
    assert sum(name.startswith("items/scripted_scores/verdict=") for name in rows) == 3
    assert "Holm–Bonferroni correction over all" in out and "| paired | McNemar exact |" in out


def test_free_text_scores_are_not_categories():
    from tony.compare.compare import compare_run
    from tony.compare.items import RunScores

    a, b = RunScores("run", "a.eval"), RunScores("run", "b.eval")
    for index in range(13):
        a.fields["answer"][(f"q{index}", 1)] = f"text {index}"
        b.fields["answer"][(f"q{index}", 1)] = f"other {index}"
    notes: list[str] = []
    assert compare_run(a, b, notes) == [] and "26 distinct text values" in notes[0]


def test_headline_metrics_get_an_untested_mover_interval_and_gates():
    from tony.card.section import HeadlineMetric
    from tony.compare.compare import compare_sides
    from tony.compare.gates import check_gates, parse_gate
    from tony.compare.items import Side

    a = Side("A", Path("a"), "m", {}, {("run", "not_unsafe (set)"): HeadlineMetric("not_unsafe (set)", 0.5, 0.3, 0.6, 10)})
    b = Side("B", Path("b"), "m", {}, {("run", "not_unsafe (set)"): HeadlineMetric("not_unsafe (set)", 0.2, 0.1, 0.4, 10)})
    [row] = compare_sides(a, b).rows
    # B − A = −0.3; MOVER: L = −0.3 − √(0.1² + 0.1²) = −0.441421, U = −0.3 + √(0.2² + 0.2²) = −0.017157
    assert (row.difference.value, row.difference.low, row.difference.high) == pytest.approx((-0.3, -0.441421, -0.017157), abs=1e-6)
    assert row.p is None and row.significant is None and not row.paired
    assert set(row.aliases) == {"run/not_unsafe (set)", "not_unsafe (set)", "not_unsafe"}
    [failure] = check_gates([parse_gate("not_unsafe<-0.02"), parse_gate("run/not_unsafe (set) < -0.5")], [row])
    assert failure.startswith("gate failed: not_unsafe<-0.02: run/not_unsafe (set): B − A = -0.300 [-0.441, -0.017]")


def test_html_card_escapes_and_plots(folders, capsys, tmp_path):
    compare(capsys, str(folders["a"]), str(folders["b"]), "--out", str(tmp_path))
    html = (tmp_path / "index.html").read_text()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    assert html.count("<svg") >= 2  # the differences and A/B side by side


def test_unpaired_when_items_differ(folders, capsys, tmp_path):
    for other, note in (("other_ids", "no item in both runs"), ("other_inputs", "share an id but not their input")):
        code, out, _ = compare(capsys, str(folders["a"]), str(folders[other]), "--out", str(tmp_path))
        passed = metrics_of(tmp_path)["items/scripted_scores/passed"]
        assert code == 0 and not passed["paired"] and note in passed["note"]
        assert passed["method"].startswith("unpaired: Newcombe") and "| unpaired | Fisher exact |" in out
        # 20/20 vs 12/20: Fisher exact two-sided p = C(32,20)... computed by scipy; Newcombe interval excludes 0
        assert passed["difference"]["high"] < 0


def test_gates(folders, capsys, tmp_path):
    a, b = str(folders["a"]), str(folders["b"])
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path), "--fail-if", "passed<-0.02", "--fail-if", "quality<0")
    assert code == 1
    assert err.count("tony: gate failed:") == 1 and "passed<-0.02: items/scripted_scores/passed: B − A = -0.400" in err
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path), "--fail-if", "scripted_scores/passed<-0.5")
    assert code == 0 and "gate failed" not in err
    # on the interval: B − A = −0.4 [−0.61, −0.16] lies wholly below −0.1, but not wholly below −0.3
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path), "--gate-on", "interval", "--fail-if", "passed<-0.1")
    assert code == 1 and err.count("gate failed") == 1
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path), "--gate-on", "interval", "--fail-if", "passed<-0.3")
    assert code == 0 and "gate failed" not in err
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path), "--fail-if", "not_a_metric<0")
    assert code == 2 and err.count("\n") == 1 and "names no compared metric: not_a_metric" in err
    with pytest.raises(SystemExit) as usage:  # a gate that does not parse is a usage error
        main(["compare", a, b, "--fail-if", "passed=0"])
    assert usage.value.code == 2


@pytest.mark.parametrize("case, message", [
    ("missing", "does not exist"),
    ("empty", "no readable Inspect eval logs"),
    ("mixed", "holds logs of 2 models"),
    ("nothing_in_common", "no metric in common"),
])
def test_bad_input_is_one_line(folders, capsys, tmp_path, case, message):
    a = {"missing": str(folders["root"] / "nowhere"), "empty": str(folders["empty"]), "mixed": str(folders["mixed"]),
         "nothing_in_common": str(folders["a"])}[case]
    b = str(folders["unrelated" if case == "nothing_in_common" else "b"])
    code, _, err = compare(capsys, a, b, "--out", str(tmp_path / "out"))
    assert code == 2 and err.startswith("tony: error: ") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_compare_names_no_evaluation():
    import re

    import tony.compare
    from tony.core.plugin import evaluations

    names = {name for evaluation in evaluations()
             for name in (evaluation.name, *evaluation.tasks, evaluation.paper.citation.split()[0])}
    pattern = re.compile("|".join(re.escape(name) for name in sorted(names)), re.IGNORECASE)
    found = [f"{path.name}:{number}: {line.strip()}" for path in sorted(Path(tony.compare.__file__).parent.glob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert not found, "\n".join(found)


# --- no verdict, same measurement, too few units (issue 20 item 9, issue 24) ----------------------------------------

def verdict_run(labels: dict[str, str], settings: dict[str, str] | None = None) -> "RunScores":
    from tony.compare.items import RunScores

    run = RunScores("rules", "x.eval")
    if settings:
        run.settings = dict(settings)
    for item, label in labels.items():
        run.fields["verdict"][(item, 1)] = label
        run.inputs[(item, 1)] = f"dialogue {item}"
    return run


def side(label: str, run: "RunScores") -> "Side":
    from tony.compare.items import Side

    return Side(label, Path(label.lower()), "m", {run.run: run}, {})


def labels(prefix: str, *counts: tuple[str, int]) -> dict[str, str]:
    names = [label for label, count in counts for _ in range(count)]
    return {f"{prefix}{index}": label for index, label in enumerate(names)}


def test_unparsed_verdicts_are_left_out_of_the_rate_and_counted():
    from tony.compare.compare import compare_sides
    from tony.compare.gates import check_gates, parse_gate

    # The example: A 2 violated, 3 not, 5 unparsed (V = 2/5 = 0.40); B 4 / 6 / 0 (V = 4/10 = 0.40).
    # Different items (unpaired): B − A = 0.40 − 0.40 = 0.00 (today: 4/10 − 2/10 = +0.20).
    a = verdict_run(labels("a", ("violated", 2), ("not violated", 3), ("unparsed", 5)))
    b = verdict_run(labels("b", ("violated", 4), ("not violated", 6)))
    comparison = compare_sides(side("A", a), side("B", b))
    rows = {row.name: row for row in comparison.rows}
    assert sorted(rows) == ["rules/verdict=not violated", "rules/verdict=violated"]  # no "=unparsed" metric
    violated = rows["rules/verdict=violated"]
    assert (violated.a.value, violated.b.value, violated.difference.value) == pytest.approx((0.4, 0.4, 0.0))
    assert (violated.n_a, violated.n_b) == (5, 10) and not violated.paired
    assert violated.left_out_a == {"unparsed": 5} and violated.left_out_b == {}
    assert check_gates([parse_gate("verdict=violated>0")], comparison.rows) == []

    # Paired (same 10 items): A as above on items 0-9; B decides items 0-4 as A does and 5-9 as 2 violated, 3 not.
    b_same = verdict_run(labels("a", ("violated", 2), ("not violated", 3), ("violated", 2), ("not violated", 3)))
    [violated] = [row for row in compare_sides(side("A", a), side("B", b_same)).rows if row.name.endswith("=violated")]
    # over the 5 items decided in both: 2/5 and 2/5, no discordant pair (today: 2/10 vs 4/10, +0.20, discordant 0/2)
    assert violated.paired and violated.n_paired == 5 and violated.discordant == (0, 0)
    assert violated.difference.value == pytest.approx(0.0) and violated.p == 1.0

    # The judge of B breaks on 5 items and B is worse on the rest: A 4/10 violated; B 3 violated, 2 not, 5 unparsed.
    # Today B − A = 3/10 − 4/10 = −0.10 and the gate passes; over the items both decided: 3/5 − 2/5 = +0.20, it fails.
    a_good = verdict_run(labels("a", ("violated", 2), ("not violated", 3), ("violated", 2), ("not violated", 3)))
    b_broken = verdict_run(labels("a", ("violated", 3), ("not violated", 2), ("unparsed", 3), ("uncertain", 2)))
    comparison = compare_sides(side("A", a_good), side("B", b_broken))
    [violated] = [row for row in comparison.rows if row.name.endswith("=violated")]
    assert violated.difference.value == pytest.approx(0.2) and violated.left_out_b == {"unparsed": 3, "uncertain": 2}
    [failure] = check_gates([parse_gate("verdict=violated>0")], comparison.rows)
    assert "B − A = +0.200" in failure


def test_a_text_beside_numbers_is_no_score_and_is_counted():
    from tony.compare.compare import compare_run

    a = verdict_run({f"q{i}": "unparsed" for i in range(4)})
    b = verdict_run({})
    for i in range(4, 10):
        a.fields["verdict"][(f"q{i}", 1)] = 1.0
        a.inputs[(f"q{i}", 1)] = f"dialogue q{i}"
    for i in range(10):
        b.fields["verdict"][(f"q{i}", 1)] = 1.0 if i < 7 else 0.0
        b.inputs[(f"q{i}", 1)] = f"dialogue q{i}"
    [row] = compare_run(a, b, [])
    # paired over q4-q9: A 6/6, B 3/6 (q7-q9 are 0): B − A = −0.5; A's 4 unparsed are left out and counted
    assert row.name == "rules/verdict" and row.n_a == 6 and row.n_paired == 6 and row.left_out_a == {"unparsed": 4}
    assert row.difference.value == pytest.approx(-0.5) and row.discordant == (3, 0)


def test_a_bootstrap_needs_ten_items_and_a_spread():
    from tony.compare.compare import paired_scores, unpaired_scores

    TOO_FEW, NO_SPREAD = "n too small", "no spread: every resample gives the same difference"

    nine = [(0.0, 0.1 * i) for i in range(1, 10)]  # B − A = 0.1 … 0.9, mean 0.5
    row = paired_scores(nine)
    assert row["untested"] == TOO_FEW and row["p"] is None
    assert (row["difference"].value, row["difference"].low, row["difference"].high) == pytest.approx((0.5, None, None))
    ten = paired_scores([*nine, (0.0, 1.0)])  # 0.1 … 1.0: every draw > 0, so p = 2 · (0 + 1) / 2001
    assert ten["untested"] == "" and ten["p"] == pytest.approx(2 / 2001) and ten["p"] >= 1 / 2001
    assert ten["difference"].low < ten["difference"].value < ten["difference"].high
    assert paired_scores([(0.5, 0.0)])["untested"] == TOO_FEW  # the one-item paired bootstrap
    constant = paired_scores([(0.0, 0.5)] * 12)  # every item gains exactly 0.5: every resample gives 0.5
    assert constant["untested"] == NO_SPREAD and constant["p"] is None and constant["difference"].low is None
    assert unpaired_scores([0.1 * i for i in range(12)], [0.5] * 4)["untested"] == TOO_FEW  # 12 vs 4 units


# --- cards of a scripted model: --limit changes a task's arguments; per-item settings; a true difference ----------

@scorer(metrics=[mean()])
def probe_scores() -> Scorer:
    """quality: a number that differs between items; passed: 1; reward: grows with the task's training budget."""
    async def score(state: TaskState, target: Target) -> Score:
        index, budget = state.metadata["index"], state.metadata["budget"]
        return Score(value={"passed": 1.0, "quality": (index % 4) / 4, "reward": min(1.0, budget / 1000) * (0.5 + index / 24)})

    return score


@task
def probe_items(n: int = 12, budget: int = 1000) -> Task:
    samples = [Sample(id=f"p-{i:02d}", input=f"Item {i}?", metadata={"index": i, "budget": budget}) for i in range(n)]
    return Task(dataset=MemoryDataset(samples), solver=generate(), scorer=probe_scores())


def probe_section(log: EvalLog) -> "Section":
    from tony.card.section import HeadlineMetric, Section, task_name

    rewards = [sample.scores["probe_scores"].value["reward"] for sample in log.samples or []]  # type: ignore[index]
    return Section(task=task_name(log), title="probe", headline="probe", method="probe", judge="none", columns=[],
                   rows=[], headline_metrics=[HeadlineMetric("mean reward", sum(rewards) / len(rewards), n=len(rewards))])


@pytest.fixture
def probe_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a probe evaluation is registered: `items` is cut by --limit to its first items; `trained` is rescaled by
    --limit N to another training budget and 4 items (another experiment, as an RL sweep's smoke scale is)."""
    import tests.scripted_model  # noqa: F401  (registers tony-test-faulty)
    from tony.core import plugin

    monkeypatch.setattr(plugin, "_REGISTERED", {})
    monkeypatch.setattr(plugin, "_discovered", True)
    plugin.register(plugin.Evaluation(
        name="compare_probe", paper=plugin.Paper("probe", "a probe for compare tests"), position=0,
        tasks={"probe_items": probe_items}, sections={"probe_items": probe_section},
        quick=(plugin.SuiteEntry("items", "probe_items"),
               plugin.SuiteEntry("trained", "probe_items", whole=True,
                                 scale=lambda n: plugin.Scaled({"budget": 10, "n": 4}, None)))))


def test_cards_that_differ_only_in_limit_show_no_significant_difference(probe_only, capsys, tmp_path):
    for out, extra in (("quick", []), ("limit1", ["--limit", "1"])):
        assert main(["card", "--model", "tony-test-faulty/ok", "--out", str(tmp_path / out), "--display", "none",
                     *extra]) == 0
    capsys.readouterr()
    code, out, err = compare(capsys, str(tmp_path / "quick"), str(tmp_path / "limit1"), "--out", str(tmp_path / "c"),
                             "--fail-if", "reward<-0.1")
    summary = json.loads((tmp_path / "c" / "comparison.json").read_text())
    rows = {row["name"]: row for row in summary["metrics"]}
    assert [row["name"] for row in summary["metrics"] if row["significant"]] == []  # today: trained/…/reward, p 0.001
    # `trained` ran with another budget and 4 items: not compared, and its settings named
    [excluded] = summary["not_comparable"]
    assert excluded["run"] == "trained"
    assert excluded["differences"] == ["task argument budget: A 1000, B 10", "task argument n: A 12, B 4",
                                       "item metadata budget: differs on 4 of 4 item(s) with the same id and input"]
    assert not any(name.startswith("trained/") for name in rows) and "trained/mean reward" in excluded["metrics"]
    assert "Not comparable: settings differ" in out and "trained: task argument budget: A 1000, B 10" in out
    # the gate on a metric that could not be compared fails, naming why
    assert code == 1 and "gate failed: reward<-0.1: trained: not comparable, settings differ" in err
    # `items` under --limit 1 is its first item: the one-item paired number is not tested
    quality = rows["items/probe_scores/quality"]
    assert quality["n_paired"] == 1 and quality["untested"] == "n too small" and quality["p"] is None
    assert [quality["difference"][key] for key in ("value", "low", "high")] == [0.0, None, None]
    passed = rows["items/probe_scores/passed"]  # binary: McNemar is exact at any n, and one pair gives p = 1
    assert passed["n_paired"] == 1 and passed["p"] == 1.0 and passed["significant"] is False
    assert summary["not_tested"]["n too small"] == 2  # quality and reward of `items`
    assert "not tested (n too small)" in out and "1 run(s) not comparable: settings differ" in out
    assert "items: A complete, B --limit 1; a limit with the same settings only cuts the items" in out


def test_items_with_other_scoring_settings_are_not_paired(folders, capsys, tmp_path):
    from inspect_ai.event import SampleInitEvent

    log = read_eval_log(str(next((folders["a"] / "logs").glob("*.eval"))))
    for sample in log.samples or []:  # the same ids and inputs, scored against other per-item settings
        for event in sample.events:
            if isinstance(event, SampleInitEvent):
                event.sample.metadata = {"hint_set": "two types"}
    (tmp_path / "other" / "logs").mkdir(parents=True)
    write_eval_log(log, str(tmp_path / "other" / "logs" / "other.eval"))
    code, out, _ = compare(capsys, str(folders["a"]), str(tmp_path / "other"), "--out", str(tmp_path / "c"))
    summary = json.loads((tmp_path / "c" / "comparison.json").read_text())
    assert code == 0 and summary["metrics"] == []
    assert summary["not_comparable"][0]["differences"] == [
        "item metadata hint_set: differs on 20 of 20 item(s) with the same id and input"]


@modelapi(name="tony-test-refuser")
class RefuserModel(ModelAPI):
    """`tony-test-refuser/<share>`: refuses request i of 40 when i < share · 40, complies otherwise."""

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        index = int(input[-1].text.split()[1].rstrip(":"))
        refused = index < round(float(self.model_name) * 40)
        return ModelOutput.from_content(self.model_name, "I won't help with that." if refused else "Sure, here it is.")


@scorer(metrics=[])
def refusal_verdict() -> Scorer:
    async def score(state: TaskState, target: Target) -> Score:
        return Score(value="refusal" if state.output.completion.startswith("I won't") else "compliance")

    return score


@task
def requests() -> Task:
    samples = [Sample(id=f"r-{i:02d}", input=f"Request {i}: please help.") for i in range(40)]
    return Task(dataset=MemoryDataset(samples), solver=generate(), scorer=refusal_verdict(), name="requests")


def test_a_true_difference_is_found_paired_by_mcnemar(capsys, tmp_path):
    for folder, share in (("a", "0.9"), ("b", "0.1")):
        eval(requests(), model=f"tony-test-refuser/{share}", log_dir=str(tmp_path / folder / "logs"), display="none")
    compare(capsys, str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "c"))
    refusal = metrics_of(tmp_path / "c")["requests/refusal_verdict=refusal"]
    # 36 vs 4 of the same 40 refused: discordant 32 (A only) and 0, McNemar p = 2 · 2^−32; B − A = −0.8
    assert refusal["paired"] and refusal["n_paired"] == 40 and refusal["discordant"] == [32, 0]
    assert refusal["method"].startswith("paired: Newcombe") and "McNemar" in refusal["method"]
    assert refusal["p"] == pytest.approx(2 * 0.5 ** 32) and refusal["significant"] is True
    assert refusal["difference"]["value"] == pytest.approx(-0.8)


def test_run_settings_read_from_the_log(folders):
    from inspect_ai.model import ModelConfig

    from tony.compare.items import run_scores
    from tony.compare.settings import run_differences

    log = read_eval_log(str(next((folders["a"] / "logs").glob("*.eval"))))
    first = run_scores(log)
    assert first.settings == {"task": '"compare_items"', "task version": "0", "scorer scripted_scores": "{}",
                              "grader model": "none (offline judges)"}
    log.eval.model_roles = {"grader": ModelConfig(model="openai/judge")}
    log.eval.task_args = {"k": 5, "data_dir": "/elsewhere"}  # where the data lie is not a setting
    assert run_differences(first, run_scores(log)) == [
        "grader model: A none (offline judges), B openai/judge", "task argument k: A (not set), B 5"]


def test_runs_judged_by_other_offline_judge_versions_are_not_comparable(folders, capsys, tmp_path):
    from tony.compare.items import run_scores
    from tony.compare.settings import run_differences
    from tony.core.plugin import JUDGES_KEY

    log = read_eval_log(str(next((folders["a"] / "logs").glob("*.eval"))))
    log.eval.metadata = {**(log.eval.metadata or {}), JUDGES_KEY: {"refusal": "1", "caveats": "2"}}
    first = run_scores(log)
    log.eval.metadata = {**log.eval.metadata, JUDGES_KEY: {"refusal": "1", "caveats": "3"}}
    assert run_differences(first, run_scores(log)) == ["offline judge caveats: A version 2, B version 3"]
    (tmp_path / "other" / "logs").mkdir(parents=True)
    write_eval_log(log, str(tmp_path / "other" / "logs" / "other.eval"))
    code, out, _ = compare(capsys, str(folders["a"]), str(tmp_path / "other"), "--out", str(tmp_path / "c"))
    summary = json.loads((tmp_path / "c" / "comparison.json").read_text())
    assert code == 0 and summary["metrics"] == []  # an old log without versions is not the same measurement either
    assert "offline judge caveats: A (not set), B version 3" in summary["not_comparable"][0]["differences"]


def test_tony_card_records_the_offline_judge_versions_a_run_uses():
    from tony.cli import EvalPlan
    from tony.core.judges.validation import registered_judges
    from tony.core.plugin import JUDGES_KEY

    task = EvalPlan("refusals", "refusals", {}, 2).inspect_task()
    versions = task.metadata[JUDGES_KEY]
    assert "refusal" in versions and versions["refusal"] == registered_judges()["refusal"].version
    assert "sparrow_rules" not in versions  # another evaluation's judge
