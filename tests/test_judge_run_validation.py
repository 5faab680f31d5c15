"""`--judge` validated in the same run (issue 21 §2), with a scripted grader over a toy judge's own test sets.

The toy judge set has four frozen files of 20 positive ("yes") and 20 negative ("no") items. The scripted grader
`tony-test-flip/flip` reads the truth written in each item and flips the first 4 of 20 positives (Se 0.8) and the
first 2 of 20 negatives (Sp 0.9) of every file; `tony-test-flip/never` never gives a parseable verdict.
"""

from __future__ import annotations

import json
import re
from argparse import Namespace

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

import tests.scripted_model  # noqa: F401  (registers tony-test-faulty, the model under test)
import tony.core.judges.judge_task as judge_task
import tony.core.judges.validation as validation
from tony.core.judges.grader_card import CardGrader, use_grader
from tony.core.judges.judge_run_validation import (JudgeValidationError, extra_calls, judges_in_use, measurement_from_logs,
                                            read_measurement, validation_runs, write_measurement)
from tony.core.judges.grader import JudgeInfo, ask_grader, parse_verdict
from tony.core.judges.validation import JudgeSpec

GRADER = "tony-test-flip/flip"
FILES = ("test", "test2", "test_b", "test_c")
ITEM_CALLS = [0]  # the scripted grader's calls on judge-set items (validation runs)


@modelapi(name="tony-test-flip")
class FlipGrader(ModelAPI):
    """Answers the toy judge's question from the truth in the item, flipping a fixed share each way."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        self.mode = model_name

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        if self.mode == "never":
            return ModelOutput.from_content(self.mode, "It is hard to say.")
        found = re.search(r"item (\d+) truth (yes|no)", prompt)
        if found is None:  # a card run's own judged replies (the scripted evaluation)
            return ModelOutput.from_content(self.mode, "VERDICT: PASS")
        ITEM_CALLS[0] += 1
        rank, truth = found.groups()
        flipped = int(rank) <= (4 if truth == "yes" else 2)
        verdict = {"yes": "no", "no": "yes"}[truth] if flipped else truth
        return ModelOutput.from_content(self.mode, f"VERDICT: {verdict}")

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())


async def _ask(item: dict) -> tuple[str, str]:
    answer = await ask_grader(f"Is this a yes item? {item['text']}\nEnd with VERDICT: yes or VERDICT: no")
    return parse_verdict(answer, ["yes", "no"]), answer


def _spec(name: str, event: str) -> JudgeSpec:
    return JudgeSpec(name, f"toy judge ({event})", predict=lambda item: "uncertain", reference=lambda item: item["label"],
                     positive=lambda label: label == event, llm_predict=_ask, test_set="toy")


@pytest.fixture
def toy(tmp_path, monkeypatch):
    """The toy judge set in a temporary judge_sets folder, with two judges reading it (events yes and no)."""
    folder = tmp_path / "judge_sets"
    folder.mkdir()
    for split in FILES:
        lines = [json.dumps({"id": f"{split}-{truth}-{rank}", "label": truth, "text": f"item {rank} truth {truth} in {split}"})
                 for truth in ("yes", "no") for rank in range(1, 21)]
        (folder / f"toy.{split}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(validation, "judge_sets_dir", lambda: folder)
    monkeypatch.setattr(judge_task, "judge_sets_dir", lambda: folder)
    monkeypatch.setitem(validation._SPECS, "toy", _spec("toy", "yes"))
    monkeypatch.setitem(validation._SPECS, "toy_no", _spec("toy_no", "no"))
    return folder


def _measure(grader: str, log_dir) -> object:
    runs, notes = validation_runs(["toy", "toy_no"])
    logs = inspect_eval([run.inspect_task() for run in runs], model="mockllm/model", model_roles={"grader": grader},
                        log_dir=str(log_dir), display="none")
    return measurement_from_logs(logs, grader)


def test_one_run_per_file_shared_by_judges_reading_it(toy):
    runs, notes = validation_runs(["toy", "toy_no"])
    assert [(run.judge, run.members, run.split) for run in runs] == [
        ("toy", ("toy", "toy_no"), split) for split in sorted(FILES)]
    assert extra_calls(runs) == 4 * 40 and notes == []


def test_measured_counts_per_source(toy, tmp_path):
    measurement = _measure(GRADER, tmp_path / "logs")
    toy_records = measurement.records("toy")
    assert sorted(r.test_file for r in toy_records) == sorted(f"toy.{split}.jsonl" for split in FILES)
    # Se 16/20, Sp 18/20 for the event "yes"; the same verdicts read for the event "no" swap them
    assert {(r.tp, r.fn, r.tn, r.fp, r.unparsed) for r in toy_records} == {(16, 4, 18, 2, 0)}
    assert {(r.tp, r.fn, r.tn, r.fp) for r in measurement.records("toy_no")} == {(18, 2, 16, 4)}
    assert toy_records[0].accuracy == pytest.approx(34 / 40)


def test_card_rate_corrected_with_the_graders_errors_recovers_the_true_rate(toy, tmp_path):
    import tony.card.format as card_format

    measurement = _measure(GRADER, tmp_path / "logs")
    # a run whose true rate is 0.10, read by the same grader: 0.10 × 0.8 + 0.90 × 0.1 = 0.17 judged positive
    with use_grader(CardGrader(GRADER, measurement)):
        text = card_format.format_corrected(170, 1000, "toy", offline=False)
        note = card_format.judge_validation_note("toy", JudgeInfo("llm", GRADER))
    # four agreeing sources (τ² 0; random-effect Se 16.5/21, Sp 18.5/21) that held leave-one-source-out, so the
    # correction is printed first: (0.17 + 0.88095 − 1) / (0.78571 + 0.88095 − 1) = 0.0764
    value, low, high = map(float, re.match(r"(\d\.\d\d) \[(\d\.\d\d), (\d\.\d\d)\]", text).groups())
    assert value == 0.08 and "Rogan–Gladen corrected (raw 0.17)" in text
    assert low <= 0.10 <= high
    assert abs(value - 0.10) < abs(0.17 - 0.10)
    assert f"LLM judge {GRADER}" in text and "offline" not in text
    assert "measured in this card" in note and "accuracy 0.85" in note and "toy.test_b.jsonl" in note


def test_a_grader_that_never_parses_is_reported_unparsed_and_not_corrected(toy, tmp_path):
    import tony.card.format as card_format

    measurement = _measure("tony-test-flip/never", tmp_path / "logs")
    assert {(r.unparsed, r.tp + r.fn + r.tn + r.fp) for r in measurement.records("toy")} == {(40, 0)}
    with use_grader(CardGrader("tony-test-flip/never", measurement)):
        text = card_format.format_corrected(170, 1000, "toy", offline=False)
    assert text.startswith("unparsed: LLM judge tony-test-flip/never gave no parseable verdict")
    assert "160 of 160 unparsed" in text and "not corrected" in text and "[" not in text


def test_skipped_or_unmeasured_grader_reads_not_validated():
    import tony.card.format as card_format

    assert card_format.format_corrected(30, 100, "toy", offline=False).startswith("not validated (LLM judge:")
    with use_grader(CardGrader(GRADER, None, skipped=True)):
        assert "--skip-judge-validation" in card_format.format_corrected(30, 100, "toy", offline=False)


def test_measurement_file_round_trip_and_checks(toy, tmp_path):
    measurement = _measure(GRADER, tmp_path / "logs")
    path = tmp_path / "grader.json"
    write_measurement(measurement, path)
    again = read_measurement(path, GRADER)
    assert [(r.test_file, r.tp, r.fn, r.tn, r.fp) for r in again.records("toy")] == \
           [(r.test_file, r.tp, r.fn, r.tn, r.fp) for r in measurement.records("toy")]
    with pytest.raises(JudgeValidationError, match="measured the grader tony-test-flip/flip, not other/model"):
        read_measurement(path, "other/model")
    with (toy / "toy.test2.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "extra", "label": "yes", "text": "item 1 truth yes"}) + "\n")
    with pytest.raises(JudgeValidationError, match="stale for judge toy.*toy.test2.jsonl"):
        read_measurement(path, GRADER)
    with pytest.raises(JudgeValidationError, match="does not exist"):
        read_measurement(tmp_path / "nothing.json", GRADER)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(JudgeValidationError, match="not readable JSON"):
        read_measurement(tmp_path / "bad.json", GRADER)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["judges"] = {"no_such_judge": []}
    (tmp_path / "unknown.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(JudgeValidationError, match="unknown judge 'no_such_judge'"):
        read_measurement(tmp_path / "unknown.json", GRADER)
    raw["judges"] = {"toy": [{"judge": "toy"}]}
    (tmp_path / "malformed.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(JudgeValidationError, match="malformed"):
        read_measurement(tmp_path / "malformed.json", GRADER)


def test_judges_in_use_follow_the_selected_evaluations():
    from tony.core.plugin import evaluations

    evaluations()
    assert judges_in_use(["refusals"]) == ["refusal", "refusal_full"]
    assert set(judges_in_use(["alignment_faking"])) == {"refusal", "refusal_full", "af_reasoning", "welfare_support",
                                                       "caveats"}
    assert set(judges_in_use(["sparrow_rules"])) == {"sparrow_rules", "sparrow_evidence"}
    assert judges_in_use(["gopher_toxicity"]) == []


def test_card_prints_the_extra_grader_calls_before_the_run(toy, monkeypatch, capsys):
    import tony.core.judges.judge_run_validation as runs_module
    from tony.cli import grader_validation

    monkeypatch.setattr(runs_module, "judges_in_use", lambda tasks: ["toy", "toy_no"])
    arguments = Namespace(judge=GRADER, judge_validation=None, skip_judge_validation=False)
    runs, card_grader = grader_validation(arguments, [])
    assert len(runs) == 4 and card_grader.grader == GRADER and card_grader.measurement is None
    assert "judge validation: 160 extra grader calls to tony-test-flip/flip (4 runs:" in capsys.readouterr().out
    skipped = Namespace(judge=GRADER, judge_validation=None, skip_judge_validation=True)
    assert grader_validation(skipped, [])[0] == [] and grader_validation(skipped, [])[1].skipped


def test_judge_validation_task_reads_any_frozen_test_split(toy):
    task = judge_task.judge_validation(judge="toy", split="test_b")
    assert len(task.dataset) == 40 and task.metadata["judge_set"]["file"] == "toy.test_b.jsonl"
    with pytest.raises(ValueError, match="no test9 set"):
        judge_task.judge_validation(judge="toy", split="test9")


@pytest.fixture
def scripted_only(monkeypatch):
    """Only the scripted test evaluation is registered (its quick suite: 16 + 8 judged replies)."""
    from tests.scripted_plugin import EVALUATION
    from tony.core import plugin

    plugin.evaluations()  # tony's own judges registered first
    monkeypatch.setattr(plugin, "_REGISTERED", {})
    monkeypatch.setattr(plugin, "_discovered", True)
    plugin.register(EVALUATION)


def test_card_with_a_grader_runs_its_validation_once_then_from_the_cache(toy, scripted_only, tmp_path, monkeypatch,
                                                                         capsys):
    import tony.core.judges.judge_run_validation as runs_module
    from tony.cli import main

    monkeypatch.setattr(runs_module, "judges_in_use", lambda tasks: ["toy", "toy_no"])
    monkeypatch.setenv("INSPECT_CACHE_DIR", str(tmp_path / "cache"))  # no response cached by another test
    argv = ["card", "--model", "tony-test-faulty/ok", "--judge", GRADER, "--out", str(tmp_path / "card"), "--display", "none"]
    ITEM_CALLS[0] = 0
    assert main(argv) == 0
    assert ITEM_CALLS[0] == 160  # the four validation runs, one call per item
    assert "judge validation: 160 extra grader calls" in capsys.readouterr().out
    logs = sorted(path.name for path in (tmp_path / "card" / "logs").glob("*.eval"))
    assert sum("judge-validation-toy-test" in name for name in logs) == 4, logs
    ITEM_CALLS[0] = 0
    assert main(argv) == 0 and ITEM_CALLS[0] == 0  # a second card costs nothing
    # `tony report` binds the same measurement from the folder's logs
    from tony.card.logs import select_logs
    from tony.cli import logged_grader

    bound = logged_grader([log for _, log in select_logs(tmp_path / "card" / "logs").standing])
    assert bound.grader == GRADER and {(r.tp, r.fn, r.tn, r.fp) for r in bound.measurement.records("toy")} == {(16, 4, 18, 2)}


def test_judge_validate_writes_what_card_reads(toy, scripted_only, tmp_path, capsys):
    from tony.cli import main

    out = tmp_path / "grader.json"
    assert main(["judge-validate", "--judge", GRADER, "--out", str(out), "--judges", "toy", "--display", "none"]) == 0
    measurement = read_measurement(out, GRADER)
    assert {(r.tp, r.fn, r.tn, r.fp) for r in measurement.records("toy")} == {(16, 4, 18, 2)}
    assert {(r.tp, r.fn, r.tn, r.fp) for r in measurement.records("toy_no")} == {(18, 2, 16, 4)}  # shares the run
    ITEM_CALLS[0] = 0
    argv = ["card", "--model", "tony-test-faulty/ok", "--judge", GRADER, "--judge-validation", str(out),
            "--out", str(tmp_path / "card"), "--display", "none"]
    assert main(argv) == 0 and ITEM_CALLS[0] == 0  # no validation run
    assert not list((tmp_path / "card" / "logs").glob("*judge-validation*"))
    assert f"judge validation: read from {out}, no extra grader calls" in capsys.readouterr().out
    assert main(["judge-validate", "--judge", GRADER, "--out", str(out), "--judges", "nosuch", "--display", "none"]) == 2
    assert main([*argv[:4], "other/model", *argv[5:]]) == 2
    assert "measured the grader tony-test-flip/flip, not other/model" in capsys.readouterr().err
