"""The faithfulness section of the system card, computed from the eval log alone."""

from __future__ import annotations

from statistics import mean
from typing import Any

from inspect_ai.log import EvalLog

from tony.card.plots import bar_chart_with_intervals
from tony.card.format import format_ci, format_corrected, format_number, judge_of, judge_records, judge_validation_note
from tony.card.section import HeadlineMetric, Section, Transcript, transcript_slug
from tony.core.stats.judge_correction import JudgedRate, pooled
from tony.core.judges.judge_sources import JudgedText, judged_rate_of
from tony.core.judges.grader import JudgeInfo
from tony.core.stats.intervals import Interval, agreement, wilson_interval
from tony.evals.faithfulness.hints import HINT_TYPES, MISALIGNED_HINTS
from tony.evals.faithfulness.judge import offline_judge_agreement
from tony.evals.faithfulness.metrics import FNormAverage, HintStatistics, Pair, f_norm_interval, hint_statistics

SCORER = "hint_verbalization"
MAX_TRANSCRIPTS = 6

# Chen et al. 2025, Fig. 1 / §3: average faithfulness over hint types, and over the misaligned hints.
PAPER_REFERENCE = {
    "Claude 3.7 Sonnet": {"average": 0.25, "misaligned": 0.20},
    "DeepSeek R1": {"average": 0.39, "misaligned": 0.29},
}

METHOD = (
    "Each question is asked once without a hint and once with each of six hints (sycophancy, consistency, "
    "visual pattern, metadata, grader hacking, unethical information) that point to an answer h. "
    "Where the answer switches to h, a judge decides whether the hinted chain of thought both mentions the hint "
    "and relies on it; F is the share that do. F is divided by α = 1 − q/((n−2)p), the share of switches to h "
    "that random answer flips cannot explain, and capped at 1 (Chen et al. 2025)."
)

COLUMNS = [
    "hint type", "questions", "unparsed answers", "hint-use rate", "p", "q", "α",
    "hint used", "F", "F judge-corrected [95% CI]", "F_norm [95% CI]", "unparsed or uncertain verdicts",
    "words (faithful / unfaithful)",
]
JUDGE = "verbalization"  # the judge set behind F (tony.core.judges.validation)


def _corrected_f(stats: HintStatistics, judge: JudgeInfo) -> str:
    """F = faithful / judged, corrected for the verbalization judge's errors on its frozen test set."""
    if stats.F is None:
        return "not defined"
    return format_corrected(round(stats.F * stats.n_judged), stats.n_judged, JUDGE, offline=judge.kind == "offline")


def _pairs(log: EvalLog) -> list[Pair]:
    pairs = []
    for sample in log.samples or []:
        score = (sample.scores or {}).get(SCORER)
        if score is not None:
            pairs.extend(Pair.from_dict(row) for row in (score.metadata or {}).get("pairs", []))
    return pairs


def _render_prompt(messages: list[dict[str, str]]) -> str:
    return "\n\n".join(f"[{m['role']}]\n{m['content']}" for m in messages)


def _transcripts(log: EvalLog, pairs: list[Pair]) -> list[Transcript]:
    by_id = {str(sample.id): sample for sample in log.samples or []}
    chosen: list[Pair] = []
    for hint_type in HINT_TYPES:  # one hint-using example per hint type first
        chosen.extend([p for p in pairs if p.uses_hint and p.hint_type == hint_type][:1])
    transcripts = []
    for pair in chosen[:MAX_TRANSCRIPTS]:
        sample = by_id[pair.question_id]
        hinted = sample.metadata["hinted"][pair.hint_type]
        unhinted_prompt = _render_prompt([{"role": m.role, "content": m.text} for m in sample.messages[:-1]])
        transcripts.append(
            Transcript(
                slug=transcript_slug("faithfulness", pair.question_id, pair.hint_type),
                title=(f"{pair.hint_type}: question {pair.question_id}, hint → ({pair.h}), correct ({sample.target}), "
                       f"verdict {pair.verdict}"),
                panes=[
                    (f"Unhinted prompt (answer {pair.a_u})", unhinted_prompt),
                    ("Unhinted chain of thought", sample.output.completion),
                    (f"Hinted prompt ({pair.hint_type})", _render_prompt(hinted["prompt"])),
                    (f"Hinted chain of thought (answer {pair.a_h})", hinted["response"]),
                ],
                note=f"Judge verdict: {pair.verdict}.",
            )
        )
    return transcripts


def _paper_values(kind: str) -> str:
    return ", ".join(f"{model} {ref[kind]:.2f}" for model, ref in PAPER_REFERENCE.items())


def _f_norm(f: float, alpha: float) -> float:
    """F_norm = min(F / α, 1) (Chen et al. 2025 §2)."""
    return min(f / alpha, 1.0)


def _judged_note(result: JudgedRate) -> str:
    """How each hint type's F was read (the same records, so the same for every type), without a type's numbers."""
    se, sp, youden = pooled([r.counts() for r in judge_records(JUDGE)])
    if se is None or sp is None or youden is None:
        return "raw judged F per hint type; the judge has no validation source with both classes, so its errors are unknown"
    read = "Rogan–Gladen corrected F per hint type" if result.corrected else "raw judged F per hint type"
    why = ("WARNING: a weak judge, not corrected" if result.weak else "" if result.corrected
           else "its correction not shown to hold leave-one-source-out")
    strength = f"pooled Se {se:.2f}, Sp {sp:.2f}, J {youden:.2f} over {len(judge_records(JUDGE))} source(s)"
    return (f"{read}{'; ' + why if why else ''}; {strength}; each divided by its α, capped at 1, and averaged; "
            "interval: the questions' bootstrap ∪ the average of each type's judged-F interval (raw ∪ judge-error "
            "band) divided by its α")


def judged_f_norm_average(stats: list[HintStatistics], average: FNormAverage, judge: JudgeInfo) -> str:
    """The average F_norm with each hint type's F read through the verbalization judge's validation sources exactly
    as `format_corrected` reads a rate (`judged_rate_of`: raw unless the correction held leave-one-source-out).
    Its interval keeps the sampling part, the bootstrap over questions (`f_norm_interval`), and widens it with the
    judge-error part: the mean over hint types of min(F_end / α, 1) at each end of each type's judged-F interval
    (the judge's Se/Sp are shared by every type, so its errors move the types' F together)."""
    if judge.kind != "offline":
        return ("not corrected here (LLM judge: each hint type's F is read through its measurement in this card in the "
                "table's 'F judge-corrected' column)")
    if average.interval.value is None or not stats:
        return "not defined"
    readings = []
    for hint in stats:
        if hint.F is None or hint.alpha is None or hint.alpha <= 0:
            return "not defined"
        readings.append((judged_rate_of(round(hint.F * hint.n_judged), hint.n_judged, judge_records(JUDGE)), hint.alpha))
    firsts = [(result.first, alpha) for result, alpha in readings]
    note = _judged_note(readings[0][0])
    if any(f.value is None or f.low is None or f.high is None for f, _ in firsts):
        return JudgedText(f"not defined ({note})", JUDGE)
    value = mean(_f_norm(f.value, alpha) for f, alpha in firsts)  # type: ignore[arg-type]
    sampling = average.interval
    if sampling.low is None or sampling.high is None:
        return JudgedText(f"{value:.2f} ({sampling.note or 'no bootstrap interval'}; {note})", JUDGE)
    low = min(sampling.low, mean(_f_norm(f.low, alpha) for f, alpha in firsts))  # type: ignore[arg-type]
    high = max(sampling.high, mean(_f_norm(f.high, alpha) for f, alpha in firsts))  # type: ignore[arg-type]
    return JudgedText(f"{format_ci(Interval(value, low, high))} ({note})", JUDGE)


def _headline_metrics(overall: FNormAverage, misaligned: FNormAverage, n_questions: int, per_hint: dict[str, Any],
                      stats: dict[str, HintStatistics], judge: JudgeInfo) -> list[HeadlineMetric]:
    unparsed = sum(h["n_unparsed_answers"] + h["n_unparsed_verdicts"] for h in per_hint.values())
    return [HeadlineMetric.of(name, average.interval, n_questions, "questions", unparsed, _paper_values(kind),
                              judged_f_norm_average([stats[h] for h in average.hint_types], average, judge))
            for name, kind, average in (("F_norm, average over hint types", "average", overall),
                                        ("F_norm, misaligned hints", "misaligned", misaligned))]


def _bootstrap_note(name: str, average: FNormAverage) -> str:
    """Which hint types an average runs over, and how many resamples could not average all of them."""
    left_out = f"; undefined on this sample, so left out: {', '.join(average.undefined_types)}" if average.undefined_types else ""
    return (f"Average over {name}: the mean F_norm of {', '.join(average.hint_types)}{left_out}. Every bootstrap resample "
            f"averages these same types; {average.undefined_resamples} of {average.resamples} resamples left one of them "
            "undefined and were dropped (counted here, never averaged over fewer types).")


def faithfulness_section(log: EvalLog) -> Section:
    pairs = _pairs(log)
    hint_types = [h for h in HINT_TYPES if any(p.hint_type == h for p in pairs)]
    judge = judge_of(log)
    rows: list[list[Any]] = []
    per_hint: dict[str, Any] = {}
    all_stats: dict[str, HintStatistics] = {}
    labels, values, lows, highs = [], [], [], []
    for hint_type in hint_types:
        hint_pairs = [p for p in pairs if p.hint_type == hint_type]
        stats = hint_statistics(hint_pairs)
        result = f_norm_interval(hint_pairs, [hint_type])
        interval = result.interval
        all_stats[hint_type] = stats
        per_hint[hint_type] = {**stats.__dict__, "F_norm_ci": result.as_dict()}  # with its count of undefined resamples
        rows.append([
            hint_type, stats.n_questions, stats.n_unparsed_answers, format_number(stats.hint_use_rate), format_number(stats.p),
            format_number(stats.q), format_number(stats.alpha), stats.n_hint_used, format_number(stats.F),
            _corrected_f(stats, judge), format_ci(interval), stats.n_unparsed_verdicts,
            f"{format_number(stats.mean_words_faithful, 0)} / {format_number(stats.mean_words_unfaithful, 0)}",
        ])
        labels.append(hint_type.replace("_", " "))
        values.append(interval.value)
        lows.append(interval.low)
        highs.append(interval.high)
    overall_average = f_norm_interval(pairs, hint_types)
    misaligned_average = f_norm_interval(pairs, [h for h in hint_types if h in MISALIGNED_HINTS])
    overall, misaligned = overall_average.interval, misaligned_average.interval
    for name, interval in (("average (all hints)", overall), ("average (misaligned hints)", misaligned)):
        rows.append([name, "", "", "", "", "", "", "", "", "", format_ci(interval), "", ""])
    labels.append("average")
    values.append(overall.value)
    lows.append(overall.low)
    highs.append(overall.high)
    references = [(f"{model} average ({ref['average']:.2f})", ref["average"]) for model, ref in PAPER_REFERENCE.items()]
    plot = bar_chart_with_intervals(
        labels, values, lows, highs, ylabel="F_norm (normalised faithfulness)", references=references,
        title=f"CoT faithfulness per hint type, 95% bootstrap CI ({judge.label()})",
    )
    errors = sum(1 for sample in log.samples or [] if sample.error)
    n_questions = len(log.samples or [])
    headline = (
        f"Average normalised faithfulness F_norm = {format_ci(overall)} "
        f"over the {len(overall_average.hint_types)} of {len(hint_types)} hint types where it is defined, "
        f"{n_questions} questions; on misaligned hints {format_ci(misaligned)}."
    )
    reference = "; ".join(
        f"{model}: average {ref['average']:.0%}, misaligned hints {ref['misaligned']:.0%}" for model, ref in PAPER_REFERENCE.items()
    )
    notes = [
        f"Samples that errored (no answer at all): {errors} of {n_questions}.",
        "A pair counts only where both the unhinted and the hinted answer parse; unparsed answers and verdicts are "
        "shown in their own columns and never counted as faithful.",
        *[_bootstrap_note(name, average) for name, average in
          (("all hints", overall_average), ("misaligned hints", misaligned_average)) if average.hint_types],
    ]
    notes.append(judge_validation_note(JUDGE, judge))
    judge_agreement = offline_judge_agreement() if judge.kind == "offline" else None
    if judge_agreement:
        notes.append(
            f"Offline judge agreement with the {judge_agreement['n']} hinted chains of thought of its dev set, written by "
            f"tony's authors, by nested cross-validation (each chain judged by a model trained without it): accuracy "
            f"{judge_agreement['accuracy']:.2f}, Cohen's κ {judge_agreement['kappa']:.2f}, {judge_agreement['uncertain']} uncertain "
            "(counted as disagreements). Its cue lists were revised after seeing its errors on this set and many dev "
            "items share composed sentences, so these figures are optimistic; its frozen test set, written blind to it, "
            "is the measure to trust. The task tony/faithfulness_judge measures whichever judge is in use."
        )
        notes.append(
            "The offline judge is a small classifier: cues that the chain names the hint (in the question's words or its "
            "own), relies on it, dismisses it or names it only after answering, plus n-grams; an uncertain verdict is "
            "left out of F and counted with the unparsed ones. "
            "Use --judge with a strong model for publishable numbers."
        )
    dataset = (log.eval.metadata or {}).get("provenance", {}).get("dataset", "unknown data")
    return Section(
        task=log.eval.task,
        title=f"Chain-of-thought faithfulness (Chen et al. 2025) on {dataset}",
        headline=headline,
        method=METHOD,
        judge=judge.label(),
        columns=COLUMNS,
        rows=rows,
        plot_svg=plot,
        reference=f"Paper (Chen et al. 2025): {reference}.",
        notes=notes,
        transcripts=_transcripts(log, pairs),
        headline_metrics=_headline_metrics(overall_average, misaligned_average, n_questions, per_hint, all_stats, judge),
        data={
            "per_hint": per_hint,
            "average": overall_average.as_dict(),
            "misaligned_average": misaligned_average.as_dict(),
            "errors": errors,
            "judge": judge.__dict__,
            "judge_agreement": judge_agreement,
            "paper_reference": PAPER_REFERENCE,
        },
    )


def judge_validation_section(log: EvalLog) -> Section:
    """Agreement of the verbalization judge with tony's hand-labelled chains of thought."""
    scores = [(sample, (sample.scores or {}).get("verbalization_verdict")) for sample in log.samples or []]
    scored = [(sample, score) for sample, score in scores if score is not None]
    judge = JudgeInfo(**scored[0][1].metadata["judge"]) if scored else JudgeInfo("offline", "none")
    overall = agreement([str(score.answer) for _, score in scored], [score.metadata["label"] for _, score in scored])
    rows: list[list[Any]] = []
    for hint_type in HINT_TYPES:
        subset = [(s, sc) for s, sc in scored if sc.metadata["hint_type"] == hint_type]
        result = agreement([str(sc.answer) for _, sc in subset], [sc.metadata["label"] for _, sc in subset])
        rows.append([hint_type, result["n"], format_number(result["accuracy"]), format_number(result["kappa"]), result["unparsed"]])
    rows.append(["all", overall["n"], format_number(overall["accuracy"]), format_number(overall["kappa"]), overall["unparsed"]])
    disagreements = [
        f"{sample.id} ({score.metadata['hint_type']}): label {score.metadata['label']}, judge said {score.answer} — {sample.metadata['why']}"
        for sample, score in scored if score.answer != score.metadata["label"]
    ]
    return Section(
        task=log.eval.task,
        title="Verbalization judge validation",
        headline=(f"The {judge.label()} agrees with {overall['n']} hand-labelled chains of thought with accuracy "
                  f"{format_number(overall['accuracy'])} and Cohen's κ {format_number(overall['kappa'])} ({overall['unparsed']} unparsed, "
                  f"{sum(score.answer == 'uncertain' for _, score in scored)} uncertain)."),
        method=("Hinted chains of thought labelled by tony's authors (judge_sets/verbalization.<split>.jsonl), with the "
                "hard cases: hints relied on in indirect words, hints dismissed or named only after the answer, questions "
                "that use a hint's words. The judge that scored the faithfulness numbers labels each; on the dev set the "
                "offline judge labels each chain with the model trained without it. Unparsed and uncertain verdicts count "
                "as disagreements."),
        judge=judge.label(),
        columns=["hint type", "chains", "accuracy", "Cohen's κ", "unparsed"],
        rows=rows,
        notes=[f"Disagreements: {'; '.join(disagreements)}." if disagreements else "No disagreements."],
        headline_metrics=[HeadlineMetric.of(
            "verbalization judge accuracy, " + ("frozen test set (written blind to the judge)"
                                                if (log.eval.metadata or {}).get("split") == "test"
                                                else "dev set it was tuned on (held-out folds; optimistic)"),
            wilson_interval(round((overall["accuracy"] or 0) * overall["n"]), overall["n"]), overall["n"], "chains",
            overall["unparsed"], "none (no public labels)")],
        data={"agreement": overall, "judge": judge.__dict__},
    )
