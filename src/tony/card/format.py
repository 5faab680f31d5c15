"""Shared formatting for card sections: numbers, intervals, and which judge scored a log."""

from __future__ import annotations

from inspect_ai.log import EvalLog

from tony.core.judges import JudgeInfo
from tony.core.stats import Interval
from tony.core.validation import corrected_rate, judge_validation


def format_number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def format_interval(value: float | None, low: float | None, high: float | None) -> str:
    """`0.42 [0.30, 0.55]`; the value alone where the interval is missing; `not defined` without a value."""
    if value is None:
        return "not defined"
    if low is None or high is None:
        return f"{value:.2f}"
    return f"{value:.2f} [{low:.2f}, {high:.2f}]"


def judge_of(log: EvalLog) -> JudgeInfo:
    """The judge recorded in the first score that names one (every tony scorer records its judge)."""
    for sample in log.samples or []:
        for score in (sample.scores or {}).values():
            if score.metadata and "judge" in score.metadata:
                return JudgeInfo(**score.metadata["judge"])
    return JudgeInfo("offline", "none (no scored samples)")


def format_ci(interval: Interval) -> str:
    """format_interval for a tony.core.stats.Interval."""
    return format_interval(interval.value, interval.low, interval.high)


def format_corrected(events: int, n: int, judge: str, offline: bool = True, complement: bool = False) -> str:
    """The judge-error-corrected rate (Rogan–Gladen, tony.core.validation) of `events` judged positive out of
    `n`, for the card, beside the judged rate. `complement`: the card's rate is 1 − the judged event's rate
    (e.g. not_overrefuse = 1 − refusal rate). Only an offline judge has a recorded validation; an LLM judge's
    correction needs its own run of `tony/judge_validation`."""
    if not offline:
        return "not corrected (LLM judge: validate it with tony/judge_validation)"
    result = corrected_rate(events, n, judge_validation(judge))
    interval = result.interval
    if interval.value is None:
        return result.note
    if complement:
        interval = Interval(1 - interval.value, 1 - interval.high, 1 - interval.low)
    return f"{format_ci(interval)} ({result.note})"


def judge_validation_note(judge: str, info: JudgeInfo) -> str:
    """The card's line on how far the judge behind a section's rates can be trusted."""
    if info.kind != "offline":
        return (f"{info.label()}: no frozen-test-set measurement of this LLM judge in this card; run "
                f"`inspect eval tony/judge_validation -T judge={judge} --model-role grader=...` to measure it.")
    validation = judge_validation(judge)
    if validation is None:
        return f"The offline {judge} judge has not been measured on a frozen test set."
    return (f"Offline {judge} judge on its {validation.summary()}; written blind to the judge, never tuned on. "
            "Judged rates are shown beside their Rogan–Gladen correction for these errors.")
