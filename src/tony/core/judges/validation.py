"""How far a judge can be trusted: agreement on a frozen test set, and judge-error-corrected rates.

Every judge (offline or LLM) is tuned on a dev set and measured once on each frozen test set
(`judge_sets/<set>.test*.jsonl`: `.test.jsonl` the original, `.test2.jsonl` a new blind set for a rebuilt
judge, `.test_b.jsonl` a second blind set in other styles) written by someone who never saw the judge, given
only the labelling rule. The measurement as first taken is recorded in `judge_sets/validation.json` per
(judge, version, source file, sha256); `scripts/measure_judges.py --record` takes it, and a test checks that
the current version of each judge still gives exactly the recorded verdicts (a judge changed afterwards gets
a new `JudgeSpec.version`; its old records are history, never used for the current judge).
Each recorded file is one independent source; `tony.core.judges.judge_sources` adds public human labels and
`tony.core.stats.judge_correction` corrects rates only where the correction holds across sources.

A rate read through an imperfect judge is biased; with the judge's sensitivity Se and specificity
Sp measured on the test set, the Rogan–Gladen estimator (Rogan & Gladen 1978, Am J Epidemiol
107:71) corrects it:

    π̂ = (p̂ + Sp − 1) / (Se + Sp − 1)

Its interval carries both the sample's and the validation set's uncertainty: a parametric
bootstrap that draws p̂, Se and Sp from their Jeffreys Beta posteriors and recomputes π̂.
Where Se + Sp − 1 (Youden's J) is small the correction divides by almost nothing and means
nothing; below `MIN_YOUDEN` it is not given, and the card says why.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tony.core.stats.judge_correction import SourceCounts, rogan_gladen
from tony.core.judges.grader import UNCERTAIN, UNPARSED
from tony.core.stats.intervals import BOOTSTRAP_RESAMPLES, CONFIDENCE, UNDEFINED, Interval, agreement

MIN_YOUDEN = 0.3  # below this, Se + Sp − 1 is too small for a correction to mean anything
VALIDATION_FILE = "validation.json"


def judge_sets_dir() -> Path:
    return Path(str(resources.files("tony.core.judges") / "judge_sets"))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_judge_set(name: str, split: str) -> list[dict[str, Any]]:
    """The items of `judge_sets/<name>.<split>.jsonl` (split: dev, test, test2, test_b, ...)."""
    return read_jsonl(judge_sets_dir() / f"{name}.{split}.jsonl")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def frozen_test_files(set_name: str) -> list[Path]:
    """Every frozen blind test file of a judge set (`<set>.test.jsonl`, `<set>.test2.jsonl`, `<set>.test_b.jsonl`,
    ...), picked up automatically as sources; never opened by a judge's builder."""
    return sorted(judge_sets_dir().glob(f"{glob.escape(set_name)}.test*.jsonl"))


@dataclass(frozen=True)
class JudgeSpec:
    """One judge as the validation layer sees it: how to read an item, and which label is the event
    whose rate the card prints (`positive`, e.g. a refusal)."""

    name: str
    title: str  # e.g. "offline refusal judge"
    predict: Callable[[dict[str, Any]], str]  # item -> label, `uncertain` or `unparsed`
    reference: Callable[[dict[str, Any]], str]  # item -> the human label
    positive: Callable[[str], bool]  # label -> is it the event?
    # the same judgement asked of the grader-role model: item -> (label or `unparsed`, the grader's answer)
    llm_predict: Callable[[dict[str, Any]], Awaitable[tuple[str, str]]] | None = None
    test_set: str = ""  # the judge set's name when it is not `name` (one judge read for two events)
    version: str = "1"  # bumped when the judge's verdicts change: older versions' records become history

    @property
    def set_name(self) -> str:
        return self.test_set or self.name


_SPECS: dict[str, JudgeSpec] = {}


def register_judge(spec: JudgeSpec) -> JudgeSpec:
    """Called by the module that defines a judge, so that the measurement script and tests find it."""
    _SPECS[spec.name] = spec
    return spec


def registered_judges() -> dict[str, JudgeSpec]:
    return dict(_SPECS)


@dataclass(frozen=True)
class JudgeValidation:
    """A judge's agreement with the human labels of its frozen test set, as first measured."""

    judge: str
    test_file: str
    sha256: str
    measured: str  # date of the first measurement
    n: int
    uncertain: int  # items the judge abstained on (excluded from Se, Sp)
    unparsed: int
    tp: int
    fn: int
    tn: int
    fp: int
    accuracy: float | None  # over all n items, an abstention counting as a disagreement
    kappa: float | None
    labels: dict[str, str] = field(default_factory=dict)  # item id -> the verdict recorded then
    version: str = "1"  # the JudgeSpec.version measured
    kind: str = "frozen test set"  # or e.g. "public human labels (XSTest v2, model mistral)"

    def counts(self) -> SourceCounts:
        return SourceCounts(self.test_file, self.tp, self.fn, self.tn, self.fp)

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    def rates(self) -> tuple[float | None, float | None]:
        """The event's rate by the human labels and by the judge, over the items the judge decided: the rate
        level at which a card prints the judge's numbers."""
        decided = self.tp + self.fn + self.tn + self.fp
        if not decided:
            return None, None
        return (self.tp + self.fn) / decided, (self.tp + self.fp) / decided

    def summary(self) -> str:
        """One line for the card."""
        def fmt(value: float | None) -> str:
            return "—" if value is None else f"{value:.2f}"
        human, judged = self.rates()
        return (f"{self.kind} {self.test_file} ({self.n} items, sha256 {self.sha256[:12]}…, measured {self.measured}): "
                f"accuracy {fmt(self.accuracy)}, κ {fmt(self.kappa)}, sensitivity {fmt(self.sensitivity)}, "
                f"specificity {fmt(self.specificity)}, uncertain {self.uncertain}, unparsed {self.unparsed}; "
                f"the rate it yields there {fmt(judged)} against the human-labelled {fmt(human)}")


def measure(spec: JudgeSpec, items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Agreement counts of one judge on labelled items: `verdict_counts` of its own verdicts."""
    return verdict_counts(spec, items, [spec.predict(item) for item in items])


def verdict_counts(spec: JudgeSpec, items: Sequence[dict[str, Any]], predicted: Sequence[str]) -> dict[str, Any]:
    """Confusion counts of given verdicts against the human labels (binary by `spec.positive`), plus accuracy and κ
    over the judge's own labels, an abstention or unparsed answer counting as a disagreement and left out of Se/Sp."""
    predicted = list(predicted)
    reference = [spec.reference(item) for item in items]
    counts = {"tp": 0, "fn": 0, "tn": 0, "fp": 0}
    for guess, truth in zip(predicted, reference):
        if guess in (UNCERTAIN, UNPARSED):
            continue
        event, judged = spec.positive(truth), spec.positive(guess)
        counts[("tp" if judged else "fn") if event else ("fp" if judged else "tn")] += 1
    agreed = agreement(predicted, reference)
    return {
        "n": len(items), "uncertain": predicted.count(UNCERTAIN), "unparsed": predicted.count(UNPARSED),
        **counts, "accuracy": agreed["accuracy"], "kappa": agreed["kappa"],
        "labels": {str(item["id"]): guess for item, guess in zip(items, predicted)},
    }


def parse_records(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """The records of validation.json: format 2 is {"format": 2, "records": [...]}; format 1 (one record per
    judge, keyed by judge) is read as version "1" of each."""
    if raw.get("format") == 2:
        return [dict(record) for record in raw["records"]]
    return [{"version": "1", **record} for _, record in sorted(raw.items())]


@cache
def validation_records() -> tuple[JudgeValidation, ...]:
    """Every recorded first measurement (judge_sets/validation.json), every version."""
    path = judge_sets_dir() / VALIDATION_FILE
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return tuple(JudgeValidation(**record) for record in parse_records(raw))


def judge_version(judge: str) -> str:
    """The current version of a registered judge ("1" for one not registered, e.g. a classifier)."""
    spec = _SPECS.get(judge)
    return spec.version if spec else "1"


def current_records(judge: str) -> list[JudgeValidation]:
    """The judge's recorded measurements for its current version, one per source file (the only ones any
    correction or gate uses)."""
    version = judge_version(judge)
    return [r for r in validation_records() if r.judge == judge and r.version == version]


def history_records(judge: str) -> list[JudgeValidation]:
    """Records of older (or other) versions of the judge: history, shown as such, never used."""
    version = judge_version(judge)
    return [r for r in validation_records() if r.judge == judge and r.version != version]


def judge_validation(judge: str) -> JudgeValidation | None:
    """The current version's recorded first measurement on its original frozen test set (`<set>.test.jsonl`,
    else its first recorded source), or None if never measured."""
    records = current_records(judge)
    original = [r for r in records if r.test_file.endswith(".test.jsonl")]
    return (original or records or [None])[0]


@dataclass(frozen=True)
class CorrectedRate:
    interval: Interval
    note: str  # why there is no correction, or how it was made


def corrected_rate(events: int, n: int, validation: JudgeValidation | None, confidence: float = CONFIDENCE,
                   resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> CorrectedRate:
    """The judged rate events/n corrected with ONE validation set's Se/Sp, with a parametric-bootstrap interval
    over the sample (Jeffreys Beta for p̂) and the validation counts (Jeffreys Beta for Se and Sp). It treats
    that set's Se/Sp as the truth for every text source; `judge_correction.judged_rate` does not."""
    if validation is None:
        return CorrectedRate(UNDEFINED, "no frozen-test-set measurement of this judge")
    se, sp = validation.sensitivity, validation.specificity
    if n <= 0 or se is None or sp is None:
        return CorrectedRate(UNDEFINED, "no judged items" if n <= 0 else "the test set lacks one of the classes")
    if se + sp - 1 < MIN_YOUDEN:
        return CorrectedRate(UNDEFINED, f"not corrected: the judge is too weak (Se {se:.2f} + Sp {sp:.2f} − 1 "
                                        f"< {MIN_YOUDEN}), so a correction would mean nothing")
    rng = np.random.default_rng(seed)
    p_draws = rng.beta(events + 0.5, n - events + 0.5, resamples)
    se_draws = rng.beta(validation.tp + 0.5, validation.fn + 0.5, resamples)
    sp_draws = rng.beta(validation.tn + 0.5, validation.fp + 0.5, resamples)
    youden = se_draws + sp_draws - 1
    valid = youden > 0
    draws = np.clip((p_draws[valid] + sp_draws[valid] - 1) / youden[valid], 0.0, 1.0)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    point = rogan_gladen(events / n, se, sp)
    note = f"Rogan–Gladen with Se {se:.2f}, Sp {sp:.2f} from the frozen test set ({validation.n} items)"
    return CorrectedRate(Interval(point, float(low), float(high)), note)
