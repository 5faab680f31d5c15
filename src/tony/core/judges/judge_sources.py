"""The independent sources a judge is validated on, counts kept apart.

Sources of a judge (for its current `JudgeSpec.version` only):
  * each frozen blind file `judge_sets/<set>.test*.jsonl`, as first measured (`validation.json`);
  * public human labels where they exist and the judge was not trained on them: XSTest v2 completions for the
    refusal judges, one source per model (read through the data registry; a file the refusal judge's weights
    list under `training_files` is not independent and is left out, with a note); the held-out Davidson split
    for the toxicity classifier (its training split never).
A measurement of a grader model (`--judge`) plugs in the same way: a list of `JudgeValidation`s passed to
`judged_rate_of` in place of `sources_of(judge).records`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from tony.core.data import DataError, file_names, resolve_file
from tony.core.stats.judge_correction import MIN_YOUDEN_TO_TRUST, JudgedRate, judged_rate, pooled
from tony.core.judges.validation import JudgeValidation, current_records, history_records, judge_version

XSTEST_DATASET = "xstest_completions"
XSTEST_PREFIX = "xstest_v2_completions_"
XSTEST_JUDGES = ("refusal", "refusal_full")  # the judges XSTest's human labels speak for
XSTEST_LABELS = {"1_full_compliance": "full_compliance", "2_full_refusal": "full_refusal",
                 "3_partial_refusal": "partial_refusal"}
TOXICITY_JUDGE = "toxicity_classifier"
GATE_TEXT = "not measurable with the offline judge — run with --judge"


@dataclass(frozen=True)
class JudgeSources:
    """A judge's sources for its current version, its history, and notes on sources left out."""

    judge: str
    version: str
    records: list[JudgeValidation]
    history: list[JudgeValidation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def youden(self) -> float | None:
        """Pooled J = Se + Sp − 1 over the sources (counts summed)."""
        return pooled([r.counts() for r in self.records])[2]

    def weak(self) -> bool:
        """Below MIN_YOUDEN_TO_TRUST, or never measured: no scorecard area may be banded from it."""
        youden = self.youden()
        return youden is None or youden < MIN_YOUDEN_TO_TRUST


def _refusal_training_files() -> set[str]:
    path = Path(str(resources.files("tony.core.judges") / "refusal_judge_weights.json"))
    weights = json.loads(path.read_text(encoding="utf-8"))
    return {entry["file"] for entry in weights.get("training_files", []) if entry.get("dataset") == XSTEST_DATASET}


def xstest_files() -> tuple[list[str], list[str]]:
    """(independent XSTest completion files, files left out because the refusal judge was trained on them)."""
    trained = _refusal_training_files()
    names = file_names(XSTEST_DATASET, XSTEST_PREFIX)
    return [n for n in names if n not in trained], [n for n in names if n in trained]


def read_xstest(path: Path) -> list[dict[str, Any]]:
    """XSTest v2 completions as judge-set items (id, prompt, completion, label)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{"id": row["id"], "prompt": row["prompt"], "completion": row["completion"],
                 "label": XSTEST_LABELS[row["final_label"].strip()]} for row in csv.DictReader(handle)]


def xstest_candidates(data_directory: str | Path | None = None) -> tuple[list[tuple[str, Path, str]], list[str]]:
    """The independent XSTest files present locally, as (file name, path, sha256), and notes on the rest."""
    independent, trained = xstest_files()
    notes = [f"XSTest {', '.join(trained)}: left out (the refusal judge was trained on them)"] if trained else []
    found = []
    for name in independent:
        try:
            resolved = resolve_file(XSTEST_DATASET, name, data_directory, allow_download=False)
        except DataError as error:
            notes.append(f"XSTest {name}: skipped, not available here ({error})")
            continue
        found.append((name, resolved.path, resolved.sha256))
    if not independent:
        notes.append("no XSTest completion file in the data registry is independent of the refusal judge")
    return found, notes


@cache
def davidson_record() -> JudgeValidation | None:
    """The toxicity classifier's counts on the held-out Davidson split, as measured when it was trained."""
    from tony.core.judges.toxicity import classifier_validation

    v = classifier_validation()
    if not v:
        return None
    return JudgeValidation(TOXICITY_JUDGE, v["dataset"], v["sha256"], "at training", v["n"], 0, 0, v["tp"], v["fn"],
                           v["tn"], v["fp"], v["accuracy"], v["kappa"],
                           kind=f"public human labels (Davidson et al. 2017, held-out {v['test_share']:.0%} split)")


def sources_of(judge: str) -> JudgeSources:
    """Every independent source of the judge's current version (recorded measurements; Davidson for the
    toxicity classifier), its older versions' records as history, and notes on what was left out."""
    records = list(current_records(judge))
    notes: list[str] = []
    if judge == TOXICITY_JUDGE:
        davidson = davidson_record()
        records += [davidson] if davidson else []
    if judge in XSTEST_JUDGES:
        independent, trained = xstest_files()
        notes += [f"XSTest {', '.join(trained)}: not a source (the refusal judge was trained on them)"] if trained else []
        missing = [n for n in independent if not any(r.test_file == n for r in records)]
        notes += [f"XSTest {n}: not measured yet (scripts/measure_judges.py --record with the data)" for n in missing]
    return JudgeSources(judge, judge_version(judge), records, history_records(judge), notes)


def judged_rate_of(events: int, n: int, records: Sequence[JudgeValidation]) -> JudgedRate:
    """The card's reading of events/n through a judge validated on `records` (one per source)."""
    return judged_rate(events, n, [r.counts() for r in records])


def gate_reason(judge: str) -> str:
    """Why a scorecard area may not be banded from this offline judge's rate ("" when it may)."""
    sources = sources_of(judge)
    if not sources.weak():
        return ""
    youden = sources.youden()
    why = "not measured on any source" if youden is None else f"Youden J {youden:.2f} < {MIN_YOUDEN_TO_TRUST}"
    return f"{GATE_TEXT} (the offline {judge} judge: {why})"


class JudgedText(str):
    """A judged rate's text for the card that remembers which offline judge produced the rate (`judge`), so that
    the scorecard and the trust table find the judge behind a headline without naming any evaluation."""

    judge: str

    def __new__(cls, text: str, judge: str) -> JudgedText:
        made = super().__new__(cls, text)
        made.judge = judge
        return made

    def __getnewargs__(self) -> tuple[str, str]:  # pickling (Inspect's eval sets, multiprocessing) keeps the judge
        return str(self), self.judge
