"""tony compare: the statistics against hand-computed and published values, pairing, gates, bad input and the HTML
card, on small logs written by the scripted test model (tests/conftest.py) (no embedded model)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from inspect_ai import Task, eval, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog, read_eval_log, write_eval_log
from inspect_ai.scorer import Score, Scorer, Target, mean, scorer
from inspect_ai.solver import TaskState, generate

from tony.cli import main
from tony.compare.stats import (fisher_exact_p, holm, mcnemar_exact, mover_difference, newcombe_unpaired,
                                paired_bootstrap, unpaired_bootstrap)
from tony.core.stats import Interval

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
    interval, p = paired_bootstrap([0.0, 0.0, 0.5], [0.5, 0.5, 1.0])  # every item gains 0.5
    assert (interval.value, interval.low, interval.high) == pytest.approx((0.5, 0.5, 0.5))
    assert p == pytest.approx(2 / 2001)  # no draw ≤ 0: the smallest p the 2000 resamples allow
    interval, p = paired_bootstrap([0.0, 1.0], [1.0, 0.0])  # means of resamples: −1, 0, 0, 1
    assert interval.value == 0.0 and interval.low == pytest.approx(-1.0) and interval.high == pytest.approx(1.0)
    assert p == 1.0
    interval, _ = unpaired_bootstrap([0.0, 0.0], [1.0, 1.0, 1.0])
    assert (interval.value, interval.low, interval.high) == pytest.approx((1.0, 1.0, 1.0))


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
    quality = rows["items/scripted_scores/quality"]  # identical numbers: a paired bootstrap difference of exactly 0
    assert quality["paired"] and quality["difference"] == {"value": 0.0, "low": 0.0, "high": 0.0} and quality["p"] == 1.0
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
