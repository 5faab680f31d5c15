"""What a card section prints for a rate read by the grader-role model (`--judge M`): M's own measured agreement and
the judged rate corrected with M's measured errors per source (issue 21 §2), never the offline judge's.

`tony card` / `tony report` bind the card's grader with `use_grader` while the card is written; the card's shared
formatting (`tony.card.format`) asks `grader_rate_text` and `grader_note` for every LLM-judged rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from tony.core.judges.judge_run_validation import GraderMeasurement
from tony.core.judges.judge_sources import judged_rate_of
from tony.core.stats.intervals import Interval
from tony.core.judges.validation import JudgeValidation

NOT_VALIDATED = "not validated"
UNPARSED_TEXT = "unparsed"


@dataclass(frozen=True)
class CardGrader:
    """The grader of the card being written and its measurement (None: not measured; `skipped`: by request)."""

    grader: str
    measurement: GraderMeasurement | None
    skipped: bool = False


_CARD_GRADER: ContextVar[CardGrader | None] = ContextVar("tony_card_grader", default=None)


@contextmanager
def use_grader(card_grader: CardGrader | None) -> Iterator[None]:
    """Bind the card's grader while sections are built."""
    token = _CARD_GRADER.set(card_grader)
    try:
        yield
    finally:
        _CARD_GRADER.reset(token)


def bound_grader() -> CardGrader | None:
    """The grader of the card being written, if one is bound."""
    return _CARD_GRADER.get()


def not_validated_reason(judge: str) -> str | None:
    """Why the grader's rates for this judge are not validated, or None when it has a measurement."""
    bound = _CARD_GRADER.get()
    if bound is None:
        return (f"{NOT_VALIDATED} (LLM judge: no measurement of this grader in this card; `tony card --judge M` "
                "measures it, or `tony judge-validate` and `--judge-validation FILE`)")
    if bound.skipped:
        return f"{NOT_VALIDATED} (LLM judge {bound.grader}: --skip-judge-validation; raw judged rate only)"
    if bound.measurement is None or bound.measurement.records(judge) is None:
        return f"{NOT_VALIDATED} (LLM judge {bound.grader} was not measured on the {judge} judge's test sets)"
    return None


def never_parsed(records: list[JudgeValidation]) -> bool:
    """The grader gave no parseable verdict on any item of any source."""
    return all(r.tp + r.fn + r.tn + r.fp == 0 and r.uncertain == 0 for r in records) and any(r.unparsed for r in records)


def grader_rate_text(events: int, n: int, judge: str, complement: bool = False) -> str:
    """The LLM-judged rate events/n as the card prints it: corrected (or not) with the grader's measured sources,
    exactly as `tony.card.format.format_corrected` does with an offline judge's; `complement`: 1 − the rate."""
    why = not_validated_reason(judge)
    if why is not None:
        return why
    bound = _CARD_GRADER.get()
    assert bound is not None and bound.measurement is not None
    records = bound.measurement.records(judge) or []
    if never_parsed(records):
        unparsed, total = sum(r.unparsed for r in records), sum(r.n for r in records)
        return (f"{UNPARSED_TEXT}: LLM judge {bound.grader} gave no parseable verdict on the {judge} judge's test sets "
                f"({unparsed} of {total} unparsed); not corrected")
    result = judged_rate_of(events, n, records)
    interval = result.first
    if interval.value is None or interval.low is None or interval.high is None:
        return f"LLM judge {bound.grader}: {result.note}"
    if complement:
        interval = Interval(1 - interval.value, 1 - interval.high, 1 - interval.low)
    shown = f"{interval.value:.2f} [{interval.low:.2f}, {interval.high:.2f}]"
    return f"{shown} (LLM judge {bound.grader}, measured in this card: {result.note})"


def grader_note(judge: str, label: str) -> str:
    """The section's line on the grader's measured agreement for this judge (`label`: the JudgeInfo label)."""
    why = not_validated_reason(judge)
    if why is not None:
        return f"{label}: {why}."
    bound = _CARD_GRADER.get()
    assert bound is not None and bound.measurement is not None
    records = bound.measurement.records(judge) or []
    on = "; ".join(record.summary() for record in records)
    return (f"{label}, measured in this card on the {judge} judge's {len(records)} frozen test set(s): {on}. Its rates "
            "are corrected with these counts only where the correction held leave-one-source-out; the interval "
            "covers both.")
