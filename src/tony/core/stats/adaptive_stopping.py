"""`tony card --ci-width W`: Inspect's `EarlyStopping` protocol driven by the sequential rule of `tony.core.stats.adaptive`.

The headline score of a run is what its evaluation declares (`Evaluation.headline_scores`), else its first scorer's
per-sample value read as a number in [0, 1] (Inspect's "C"/"I" as 1/0); a run whose first scorer gives anything else (a label, a dict, "unparsed") is never stopped early, and its
summary says why. Outcomes enter the rule in the order their samples were scheduled, so that a fast reply cannot
overtake a slow one. Samples already running when the rule stops still finish and are logged, but the card builds
a stopped run's section from the samples the rule counted only (`counted_view`), and the headline metric that is
the rule's rate over them prints the rule's own interval at the stopping time (`rule_interval`): z*, with the
Clopper–Pearson limit next to 0 or n, not a 1.96 interval.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tony.core.stats.adaptive import CONFIDENCE, DEFAULT_MIN_N, Decision, SequentialRule

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog

MANAGER = "tony.adaptive"
RULE = "Frey 2010 fixed-width sequential Wilson interval, critical value calibrated to exact coverage"


def headline_value(scores: dict[str, Any], reader: Callable[[Any], float | None] | None = None) -> tuple[str, float | None]:
    """The first scorer's name and its value as a number in [0, 1] (read by the evaluation's `reader` where it
    declares one), or None where it is not one."""
    if not scores:
        return "", None
    name, sample_score = next(iter(scores.items()))
    score = getattr(sample_score, "score", sample_score)
    if reader is not None:
        value = reader(score)
        return name, value if value is not None and 0.0 <= value <= 1.0 else None
    value = score.value
    if isinstance(value, str):
        return name, {"C": 1.0, "I": 0.0}.get(value)
    if isinstance(value, bool | int | float) and 0.0 <= float(value) <= 1.0:
        return name, float(value)
    return name, None


def bernoulli(value: float, key: str) -> int:
    """A score in [0, 1] as a 0/1 outcome with that probability (randomised rounding, seeded by the sample)."""
    if value in (0.0, 1.0):
        return int(value)
    draw = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64
    return int(draw < value)


class HeadlineStopper:
    """One run's early-stopping manager (Inspect's `inspect_ai.util.EarlyStopping`): stop scheduling samples once
    the calibrated sequential interval of the headline score is at most `width` wide, from `min_n` samples on."""

    def __init__(self, width: float, min_n: int = DEFAULT_MIN_N, confidence: float = CONFIDENCE,
                 reader: Callable[[Any], float | None] | None = None) -> None:
        if not 0 < width < 1:
            raise ValueError(f"--ci-width must be between 0 and 1, not {width}")
        self.width, self.min_n, self.confidence, self.reader = width, min_n, confidence, reader
        self._reset(0)

    def _reset(self, planned: int) -> None:
        self.planned = planned
        self.rule = SequentialRule(self.width, self.min_n, max(planned, 1), self.confidence)
        self.order: list[tuple[str | int, int]] = []
        self.outcomes: dict[tuple[str | int, int], int] = {}
        self.used = self.successes = self.ran = 0
        self.score_name = ""
        self.unreadable: str | None = None
        self.decision: Decision | None = None

    async def start_task(self, task: Any, samples: list[Any], epochs: int) -> str:
        self._reset(len(samples) * epochs)
        if self.planned > self.min_n:
            _ = self.rule.z  # calibrate before the first sample, not in the middle of the run
        return MANAGER

    async def schedule_sample(self, id: str | int, epoch: int) -> Any:
        if self.stopped:
            from inspect_ai.util import EarlyStop

            return EarlyStop(id=id, epoch=epoch, reason=self.reason())
        self.order.append((id, epoch))
        return None

    async def complete_sample(self, id: str | int, epoch: int, scores: dict[str, Any]) -> None:
        self.ran += 1
        name, value = headline_value(scores, self.reader)
        self.score_name = self.score_name or name
        if value is None and self.unreadable is None:
            self.unreadable = f"sample {id}'s {name or 'score'} is not a number in [0, 1]"
        self.outcomes[(id, epoch)] = 0 if value is None else bernoulli(value, f"{id}/{epoch}")
        self._advance()

    def _advance(self) -> None:
        """Feed the rule every outcome of the completed prefix of the schedule, stopping at its first stop."""
        while self.used < len(self.order) and self.order[self.used] in self.outcomes and not self.stopped:
            self.successes += self.outcomes[self.order[self.used]]
            self.used += 1
            if self.unreadable is None and self.planned > self.min_n:
                self.decision = self.rule.decide(self.successes, self.used)

    @property
    def stopped(self) -> bool:
        """Stopped early: the rule stopped before the run's last sample."""
        return self.decision is not None and self.decision.stop and self.decision.n < self.planned

    def reason(self) -> str:
        if self.stopped and self.decision is not None:
            return (f"stopped at n = {self.decision.n} of {self.planned}: the sequential {self.confidence:.0%} "
                    f"interval on {self.score_name} [{self.decision.low:.3f}, {self.decision.high:.3f}] is "
                    f"{self.decision.width:.3f} wide, within --ci-width {self.width:g}")
        if self.unreadable:
            return f"ran every sample: {self.unreadable}, so the rule cannot read a headline rate"
        if self.planned <= self.min_n:
            return f"ran every sample: {self.planned} samples, not more than --ci-min-n {self.min_n}"
        return f"ran every sample: the interval never got within --ci-width {self.width:g}"

    async def complete_task(self) -> dict[str, Any]:
        decision = self.decision
        return {
            "rule": RULE, "target_width": self.width, "min_n": self.min_n, "confidence": self.confidence,
            "planned": self.planned, "ran": self.ran, "stopped": self.stopped, "reason": self.reason(),
            "score": self.score_name, "n": decision.n if decision else self.used,
            "z": decision.z if decision else None, "successes": decision.successes if decision else None,
            "low": decision.low if decision else None, "high": decision.high if decision else None,
            "rule_stopped": bool(decision and decision.stop),  # the rule stopped (early, or at the run's last sample)
            "counted": [[id, epoch] for id, epoch in self.order[: self.used]],  # the samples the rule read, in order
        }


def stopping_note(early_stopping: Any) -> str:
    """The card's note for a run stopped early by `tony card --ci-width` ("" for any other run)."""
    metadata = getattr(early_stopping, "metadata", None) or {}
    if getattr(early_stopping, "manager", None) != MANAGER or not metadata.get("stopped"):
        return ""
    return f"--ci-width {metadata['target_width']:g}, {metadata['reason']} ({metadata['ran']} samples ran in all)"


@dataclass(frozen=True)
class RuleInterval:
    """The interval the rule stopped on: `successes` of the first `n` samples it counted, at critical value z."""

    n: int
    successes: float
    low: float
    high: float
    z: float
    counted: tuple[tuple[str, int], ...]  # (sample id as text, epoch) of the samples it counted

    @property
    def rate(self) -> float:
        return self.successes / self.n


def rule_interval(early_stopping: Any) -> RuleInterval | None:
    """The rule's stop for a run of `tony card --ci-width` whose rule stopped (early or at its last sample); None
    for any other run (no --ci-width, an unreadable score, too few samples)."""
    metadata = getattr(early_stopping, "metadata", None) or {}
    if getattr(early_stopping, "manager", None) != MANAGER or not metadata.get("rule_stopped"):
        return None
    counted = tuple((str(id), int(epoch)) for id, epoch in metadata["counted"][: metadata["n"]])
    return RuleInterval(int(metadata["n"]), float(metadata["successes"]), float(metadata["low"]),
                        float(metadata["high"]), float(metadata["z"]), counted)


def counted_view(log: EvalLog) -> EvalLog:
    """A run as its stopping rule saw it: only the samples the rule counted (those that were still running when it
    stopped are left out of every number); any other log as it is."""
    rule = rule_interval(log.results and log.results.early_stopping)
    if rule is None:
        return log
    keep = set(rule.counted)
    return log.model_copy(update={"samples": [sample for sample in log.samples or []
                                              if (str(sample.id), sample.epoch) in keep]})


def rule_interval_note(metric_name: str, rule: RuleInterval, logged: int) -> str:
    left_out = logged - rule.n
    where = f"the interval of {metric_name} is the rule's (1 − it for a complement)" if metric_name else (
        f"no headline metric of this section is the rule's rate {rule.rate:.3f} over n = {rule.n}, so its intervals "
        f"are the section's own; the rule's interval was")
    return (f"--ci-width: every number in this section is over the {rule.n} samples the stopping rule counted"
            + (f" ({left_out} that were still running when it stopped are left out)" if left_out > 0 else "")
            + f"; {where} [{rule.low:.3f}, {rule.high:.3f}] (Wilson at the calibrated z* = {rule.z:.4f}, "
              "Clopper–Pearson next to 0 or n; Frey 2010), not a 1.96 interval.")
