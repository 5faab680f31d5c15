"""Shared formatting for card sections: numbers, intervals, and which judge scored a log."""

from __future__ import annotations

from collections.abc import Sequence

from inspect_ai.log import EvalLog

from tony.core.judges.grader import JudgeInfo
from tony.core.stats.intervals import Interval, cluster_effective_n, cluster_rate_interval
from tony.core.judges.judge_sources import JudgedText, judged_rate_of, sources_of
from tony.core.judges.validation import JudgeValidation


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
    """format_interval for a tony.core.stats.intervals.Interval, with its note where the ends are missing (e.g. too few units)."""
    text = format_interval(interval.value, interval.low, interval.high)
    return f"{text} ({interval.note})" if interval.note and interval.value is not None and interval.low is None else text


def format_corrected(events: int, n: int, judge: str, offline: bool = True, complement: bool = False) -> str:
    """The judged rate of `events` positive out of `n` as the card prints it (tony.core.stats.judge_correction): the
    Rogan–Gladen correction first only where it held leave-one-source-out over the judge's sources, else the raw
    judged rate; the interval covers both. `complement`: the card's rate is 1 − the judged event's rate (e.g.
    not_overrefuse = 1 − refusal rate). An LLM judge's rate uses its own measurement in this card
    (tony.core.judges.grader_card). The text remembers its offline judge (JudgedText)."""
    if not offline:  # the card's grader, corrected with its own measurement in this card (issue 21 §2)
        from tony.core.judges.grader_card import grader_rate_text

        return grader_rate_text(events, n, judge, complement)
    result = judged_rate_of(events, n, judge_records(judge))
    interval = result.first
    if interval.value is None or interval.low is None or interval.high is None:
        return JudgedText(result.note, judge)
    if complement:
        interval = Interval(1 - interval.value, 1 - interval.high, 1 - interval.low)
    return JudgedText(f"{format_ci(interval)} ({result.note})", judge)


def format_corrected_clustered(clusters: Sequence[tuple[int, int]], judge: str, offline: bool = True,
                               unit: str = "units", cluster: str = "clusters") -> str:
    """format_corrected for a judged rate whose units come in clusters ((events, units) per cluster: transcripts of
    one prompt, continuations of one prompt). The sampling part stays the cluster interval (Cochran's ratio
    estimate, `tony.core.stats.intervals.cluster_rate_interval`); the judge-error part is format_corrected's, with p̂ = Σy/Σm
    read as p̂·n_eff events of n_eff, n_eff = p̂(1 − p̂)/V(p̂) the effective number of units (Kish 1965,
    `cluster_effective_n`), so the correction's draw of p̂ carries the design effect. The interval printed is the
    union of the cluster interval and format_corrected's (raw over n_eff ∪ correction); under MIN_UNITS clusters
    the value alone, with the cluster interval's note. An LLM judge's rate: its measurement over n_eff. `unit` and
    `cluster` name them in the note (e.g. "transcripts", "prompts")."""
    events, units = sum(y for y, _ in clusters), sum(m for _, m in clusters)
    n_eff = cluster_effective_n(clusters)
    if units == 0 or n_eff <= 0:
        return format_corrected(0, 0, judge, offline)
    scaled = events / units * n_eff  # p̂ · n_eff: a float count, as the Beta draws of p̂ allow
    over = f"effective n {n_eff:.1f} of {units} {unit} over {len(clusters)} {cluster}"
    if not offline:
        return f"{format_corrected(scaled, n_eff, judge, offline)} ({over})"  # type: ignore[arg-type]
    sampling = cluster_rate_interval(clusters)
    result = judged_rate_of(scaled, n_eff, judge_records(judge))  # type: ignore[arg-type]
    first = result.first
    if first.value is None or first.low is None or first.high is None:
        return JudgedText(result.note, judge)
    how = f"{result.note}; sampling part: the cluster interval over {len(clusters)} {cluster}; judge-error part: {over}"
    if sampling.low is None or sampling.high is None:
        return JudgedText(f"{first.value:.2f} ({sampling.note}; {how})", judge)
    interval = Interval(first.value, min(first.low, sampling.low), max(first.high, sampling.high))
    return JudgedText(f"{format_ci(interval)} ({how})", judge)


def judge_records(judge: str) -> list[JudgeValidation]:
    """The judge's validation sources for its current version (one record per source)."""
    return sources_of(judge).records


def judge_validation_note(judge: str, info: JudgeInfo) -> str:
    """The card's line on how far the judge behind a section's rates can be trusted."""
    if info.kind != "offline":
        from tony.core.judges.grader_card import grader_note

        return grader_note(judge, info.label())
    records = judge_records(judge)
    if not records:
        return f"The offline {judge} judge has not been measured on a frozen test set."
    on = "; ".join(record.summary() for record in records)
    return (f"Offline {judge} judge on {len(records)} source(s), each written blind to the judge and never tuned "
            f"on: {on}. A judged rate is printed raw unless its Rogan–Gladen correction held leave-one-source-out "
            "over these sources; its interval covers both.")
