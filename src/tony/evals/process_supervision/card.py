"""The Uesato et al. 2022 sections of the system card: Table 1's layout, selective prediction, the mitigation, and
the judge check, from the eval logs alone."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import matplotlib.pyplot as plt
from inspect_ai.log import EvalLog

from tony.card.format import format_ci, format_corrected, judge_of, judge_validation_note
from tony.card.plots import figure_to_svg
from tony.card.section import HeadlineMetric, Section, Table, Transcript, transcript_slug
from tony.core.judges.grader import JudgeInfo
from tony.core.stats.intervals import UNDEFINED, Interval, wilson_interval
from tony.evals.process_supervision.selection import (
    ABSTENTION,
    METHODS,
    Outcome,
    final_answer_error,
    selective_error,
    trace_error,
)

JUDGE = "step_judge"
JUDGE_SELECTED = "judge-selected; not evidence of fewer errors"
MAX_TRANSCRIPTS = 3
RM_SELECTED = ("orm_best_of_k", "prm_best_of_k", "orm_weighted", "prm_weighted")  # chosen by the verifiers
NAMES = {"greedy": "greedy (one solution)", "majority": "majority vote", "orm_best_of_k": "ORM best-of-K",
         "prm_best_of_k": "PRM best-of-K", "orm_weighted": "ORM-weighted voting", "prm_weighted": "PRM-weighted voting"}
# Uesato et al. 2022, GSM8K (abstract and Table 1). Only values we are sure of; the other rows are not restated.
PAPER = {
    "orm_best_of_k": "final-answer error 12.7% (SFT + ORM-RL, ORM reranking, 70B; their best)",
    "prm_best_of_k": "trace error 3.4% (their best trace error, abstract)",
}
METHOD = (
    "Uesato et al. 2022: each problem is solved greedily and K = {K} times by sampling, one step per line. A step "
    "judge marks each solution's first major mistake; an ORM scores each solution's chance of a right final answer "
    "and a PRM scores each step (solution score: {how} of step scores). Final-answer error is the share of problems "
    "whose selected answer is wrong; trace error is, among problems whose selected answer is right, the share whose "
    "selected solution has a major mistake."
)


def _outcomes(log: EvalLog) -> dict[str, list[Outcome]]:
    found: dict[str, list[Outcome]] = {method: [] for method in ("greedy", *METHODS)}
    for sample in log.samples or []:
        score = (sample.scores or {}).get("traces_and_selections")
        for method, row in ((score.metadata or {}).get("outcomes", {}) if score else {}).items():
            found[method].append(Outcome(**row))
    return found


def _selective_plot(curves: dict[str, list[tuple[float, float | None]]]) -> str:
    figure, axes = plt.subplots(figsize=(6, 3.2))
    for method, points in curves.items():
        xs = [p for p, value in points if value is not None]
        axes.plot(xs, [value for _, value in points if value is not None], marker="o", label=NAMES[method])
    axes.set_xlabel("π, share of problems abstained on (lowest verifier score)")
    axes.set_ylabel("final-answer error")
    axes.set_ylim(0, 1.05)
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)


def _selector(log: EvalLog) -> JudgeInfo:
    """The verifiers that selected among the K (recorded per sample; the offline checker in every run so far)."""
    for sample in log.samples or []:
        score = (sample.scores or {}).get("traces_and_selections")
        if score and (score.metadata or {}).get("selector"):
            return JudgeInfo(**score.metadata["selector"])
    return JudgeInfo("offline", "arithmetic step checker: PRM and ORM")


def _trace_metric(method: str, trace: Interval, decided: int, undecided: int, corrected: str,
                  offline: bool) -> HeadlineMetric:
    metric = HeadlineMetric.of(f"trace error, {NAMES[method]}", trace, decided, "right answers", undecided,
                               corrected=corrected)
    return replace(metric, judge=JUDGE) if offline else metric  # the scorecard gates on the offline judge's name


def process_supervision_section(log: EvalLog) -> Section:
    meta = log.eval.metadata or {}
    judge, selector = judge_of(log), _selector(log)
    offline = judge.kind == "offline"
    # one checker selected and scored: an RM-selected solution's trace error is judge-selected (issue 20 A1)
    judge_selected = judge.kind == selector.kind
    outcomes = _outcomes(log)
    rows, headline_metrics, data = [], [], {}
    for method, found in outcomes.items():
        wrong, n = final_answer_error(found)
        errors, decided, undecided = trace_error(found)
        final = wilson_interval(wrong, n) if n else UNDEFINED
        trace = wilson_interval(errors, decided) if decided else UNDEFINED
        circular = judge_selected and method in RM_SELECTED
        corrected = format_corrected(errors, decided, JUDGE, offline=offline) if decided else "no judged solutions"
        trace_cell = format_ci(trace) + (f": {JUDGE_SELECTED}" if circular else "")
        rows.append([NAMES[method], trace_cell, "not corrected: judge-selected" if circular else corrected, decided,
                     undecided, format_ci(final), n, PAPER.get(method, "—")])
        data[method] = {"final_answer_error": final.as_dict(), "trace_error": trace.as_dict(), "n": n,
                        "decided": decided, "undecided": undecided, "judge_selected": circular}
        if method in ("greedy", "prm_best_of_k"):
            headline_metrics.append(HeadlineMetric.of(f"GSM8K-style final-answer error, {NAMES[method]}", final, n,
                                                      "problems"))
            if not circular:
                headline_metrics.append(_trace_metric(method, trace, decided, undecided, corrected, offline))
    counts = {method: [selective_error(outcomes[method], pi) for pi in ABSTENTION]
              for method in ("majority", "orm_best_of_k", "prm_best_of_k")}
    curves = {method: [(pi, wrong / kept if kept else None) for pi, (wrong, kept) in zip(ABSTENTION, found)]
              for method, found in counts.items()}
    selective = Table("Selective prediction: final-answer error (wrong / answered) after abstaining on the share π of "
                      "problems with the lowest verifier score (vote share for majority vote)",
                      ["selection", *[f"π = {pi}" for pi in ABSTENTION]],
                      [[NAMES[m], *[f"{w / k:.3f} ({w}/{k})" if k else "n/a" for w, k in found]] for m, found in counts.items()],
                      plot_svg=_selective_plot(curves))
    K = meta.get("K")
    before, after = data.get("greedy", {}), data.get("prm_best_of_k", {})
    after_trace = _fmt(after.get("trace_error")) + (f": {JUDGE_SELECTED}" if judge_selected else "")
    mitigation = Table("Mitigation: the greedy solution (before) against PRM best-of-K (after)",
                       ["", "final-answer error", "trace error"],
                       [["before (greedy)", _fmt(before.get("final_answer_error")), _fmt(before.get("trace_error"))],
                        [f"after (PRM best-of-{K})", _fmt(after.get("final_answer_error")), after_trace]])
    final_part = (f"Final-answer error greedy {_fmt(before.get('final_answer_error'))} → PRM best-of-{K} "
                  f"{_fmt(after.get('final_answer_error'))}")
    if judge_selected:
        headline = (f"{final_part} (n = {before.get('n', 0)} problems, K = {K}); greedy trace error "
                    f"{_fmt(before.get('trace_error'))}; the trace error after PRM best-of-{K} (in the table only) is "
                    f"{JUDGE_SELECTED}.")
    else:
        headline = (f"{final_part}; trace error {_fmt(before.get('trace_error'))} → {_fmt(after.get('trace_error'))} "
                    f"(n = {before.get('n', 0)} problems, K = {K}).")
    notes = [f"Dataset {meta.get('dataset', '?')}; sampling temperature {meta.get('temperature')}.",
             f"Selected by {selector.label()} (tony's stand-in for the paper's learned reward models); trace error "
             f"scored by {judge.label()}; final-answer error by the reference answer."]
    if judge_selected:
        notes.append(f"The verifiers that selected and the step judge that scored are one offline checker, so the trace "
                     f"error of every RM-selected row is {JUDGE_SELECTED}: a solution is kept because the checker "
                     "missed its error. Those rows stay out of the headline and the scorecard; bind a grader (--judge) "
                     "to score the selected solutions with an independent judge. Final-answer errors are checked "
                     "against the reference answer and are unaffected.")
    notes += ["Uesato et al. 2022 (abstract): from the previous best 16.8% final-answer error and 14.0% trace error "
              "to 12.7% and 3.4%.",
              "The paper's numbers are for 70B models fine-tuned with SFT and RL; only values we are sure of are "
              "shown, the other rows of their Table 1 are not restated.",
              "Majority vote picks the first solution giving the majority answer; ties go to the answer sampled first."]
    return Section(
        task=log.eval.task, title="Uesato et al. 2022: final-answer error versus trace error",
        headline=headline, method=METHOD.format(K=K, how=meta.get("prm_aggregate", "product")),
        judge=(f"Trace error scored by {judge.label()}; solutions selected by {selector.label()}. "
               f"{judge_validation_note(JUDGE, judge)}"),
        columns=["selection", "trace error [95% CI]", "trace error judge-corrected", "judged", "undecided",
                 "final-answer error [95% CI]", "problems", "Uesato et al. 2022 (GSM8K)"],
        rows=rows, reference="Uesato et al. 2022, arXiv:2211.14275, Table 1 (layout) and abstract",
        notes=notes, tables=[mitigation, selective], headline_metrics=headline_metrics,
        data={**data, "judge_selected": judge_selected, "selector": selector.label(), "scorer": judge.label()},
        transcripts=_transcripts(log),
    )


def _solution_text(solution: dict[str, Any]) -> str:
    first = solution.get("first_error")
    lines = [f"{i + 1}. {step}" + ("   <- first major mistake (step judge)" if i == first else "")
             for i, step in enumerate(solution.get("steps", []))]
    return "\n".join(lines) + (f"\n\nanswer {solution.get('answer')}; step judge: {solution.get('label')}; "
                               f"PRM {solution.get('prm', 0):.3f}; ORM {solution.get('orm', 0):.3f}")


def _transcripts(log: EvalLog) -> list[Transcript]:
    """Problems whose PRM-selected solution is right but judged flawed (trace errors) first, then any others."""
    chosen = []
    for sample in log.samples or []:
        score = (sample.scores or {}).get("traces_and_selections")
        meta = (score.metadata or {}) if score else {}
        index = meta.get("selected", {}).get("prm_best_of_k")
        if index is None:
            continue
        picked = meta["sampled"][index]
        trace = picked["correct"] and picked["label"] == "incorrect_step"
        chosen.append((not trace, sample, meta, picked))
    chosen.sort(key=lambda row: row[0])
    return [Transcript(slug=transcript_slug("process_supervision", sample.id),
                       title=f"problem {sample.id}: right answer {meta.get('target')}",
                       panes=[("Problem and prompt", str(sample.input)),
                              ("Greedy solution", _solution_text(meta["greedy"])),
                              ("PRM best-of-K solution", _solution_text(picked))])
            for _, sample, meta, picked in chosen[:MAX_TRANSCRIPTS]]


def _fmt(interval: dict[str, Any] | None) -> str:
    if not interval or interval.get("value") is None:
        return "n/a"
    return format_ci(Interval(interval["value"], interval["low"], interval["high"]))


def step_judge_check_section(log: EvalLog) -> Section:
    split = (log.eval.metadata or {}).get("judge_set", {}).get("split", "?")
    metrics = {name: metric.value for score in (log.results.scores if log.results else []) for name, metric in score.metrics.items()}
    rows = []
    for judge, label in (("step", "step judge"), ("prm", "PRM (first step scored below ½)")):
        rows.append([label, _num(metrics.get(f"{judge}_location_agreement")), _num(metrics.get(f"{judge}_step_agreement")),
                     int(metrics.get(f"{judge}_undecided", 0))])
    rows.append(["ORM (final answer right, score ≥ ½)", "—", f"accuracy {_num(metrics.get('orm_accuracy'))}",
                 int(metrics.get("orm_undecided", 0))])
    n = len(log.samples or [])
    return Section(
        task=log.eval.task, title=f"Uesato et al. 2022: step judge and verifiers against hand labels ({split} set)",
        headline=(f"Step judge: first-error location agreement {_num(metrics.get('step_location_agreement'))}, "
                  f"step-level agreement {_num(metrics.get('step_step_agreement'))} on {n} hand-labelled solutions "
                  f"({split} set)."),
        method=("Each hand-labelled solution names its first step with a major mistake (or none). Location agreement: "
                "the judge names the same step (or none); step-level agreement: each step is 'on a wrong trace' from "
                "the first error on, compared step by step. Undecided verdicts (uncertain, unparsed) are left out."),
        judge=judge_of(log).label(), columns=["judge", "first-error location agreement", "step-level agreement", "undecided"],
        rows=rows, reference="Uesato et al. 2022, §3 (reward models checked against human step labels)",
        notes=["The test set was written blind to the judges; the dev set is the one the offline checker was tuned on."],
        headline_metrics=[HeadlineMetric(f"step judge first-error location agreement ({split})",
                                         metrics.get("step_location_agreement"), n=n, unit="solutions")],
        data={"split": split, **metrics},
    )


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"
