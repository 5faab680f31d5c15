"""The card sections of the o1 System Card's factuality and fairness evaluations, built from the Inspect logs alone."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.scorer import Score

from tony.card.format import format_ci, format_corrected, format_number, judge_of, judge_validation_note
from tony.card.section import HeadlineMetric, Section, Transcript, transcript_slug
from tony.core.stats.intervals import Interval
from tony.evals.o1_facts_fairness.bbq import METHODS, MISSING_CATEGORIES
from tony.evals.o1_facts_fairness.grader import CORRECT_JUDGE_NAME, JUDGE_NAME
from tony.evals.o1_facts_fairness.metrics import (
    AMBIGUOUS,
    DISAMBIGUATED,
    SIMPLEQA_LABELS,
    BBQAnswer,
    accuracy,
    bias_interval,
    mean_interval,
    p_not_stereotyped,
    simpleqa_rates,
)

PAPER = "OpenAI o1 System Card (2024)"
SIMPLEQA_REFERENCE = {"accuracy": "GPT-4o 0.38, o1 0.47", "hallucination rate": "GPT-4o 0.61, o1 0.44"}
BBQ_REFERENCE = {"ambiguous accuracy": "GPT-4o 0.97, o1 0.96", "disambiguated accuracy": "GPT-4o 0.72, o1 0.93"}
MAX_TRANSCRIPTS = 4


def _dataset(log: EvalLog) -> str:
    return str((log.eval.task_args or {}).get("dataset", "builtin"))


def _scores(log: EvalLog) -> list[tuple[EvalSample, Score]]:
    return [(sample, score) for sample in log.samples or [] if (score := next(iter((sample.scores or {}).values()), None))]


def _reference(value: str, dataset: str, public: str) -> str:
    return f"{PAPER}: {value}" if dataset == public else f"none on this data ({PAPER} on {public}: {value})"


# ---------------------------------------------------------------- SimpleQA

SIMPLEQA_METHOD = ("Each short fact-seeking question is asked once as is (greedy). The grader marks the reply CORRECT "
                   "(it states an answer containing the reference's information without contradicting it), INCORRECT "
                   "(it commits to a contradicting answer, even hedged, lists candidates without choosing, or withdraws "
                   "the right one) or NOT_ATTEMPTED (no answer, a refusal, background only, or something vaguer). "
                   "Accuracy = correct / graded, hallucination rate = incorrect / graded (Wei et al. 2024; o1 System "
                   "Card §3.1.4); unparsed or uncertain grades are left out and counted. Wilson 95% intervals.")


def _simpleqa_row(name: str, labels: list[str]) -> list[Any]:
    rates = simpleqa_rates(labels)
    return [name, rates.n, rates.correct, rates.incorrect, rates.not_attempted, rates.undecided,
            format_ci(rates.accuracy()), format_ci(rates.hallucination_rate()), format_ci(rates.not_attempted_rate()),
            format_ci(rates.correct_given_attempted())]


def simpleqa_section(log: EvalLog) -> Section:
    scored = _scores(log)
    labels = [str(score.answer) for _, score in scored]
    rates, dataset, judge = simpleqa_rates(labels), _dataset(log), judge_of(log)
    offline = judge.kind == "offline"
    by_topic: dict[str, list[str]] = defaultdict(list)
    for sample, score in scored:
        by_topic[str((score.metadata or {}).get("topic") or "unknown")].append(str(score.answer))
    rows = [_simpleqa_row("all", labels)] + [_simpleqa_row(topic, by_topic[topic]) for topic in sorted(by_topic)]
    headlines = [
        HeadlineMetric.of(f"SimpleQA accuracy ({dataset})", rates.accuracy(), rates.n, "graded replies", rates.undecided,
                          _reference(SIMPLEQA_REFERENCE["accuracy"], dataset, "simpleqa"),
                          format_corrected(rates.correct, rates.n, CORRECT_JUDGE_NAME, offline=offline)),
        HeadlineMetric.of(f"SimpleQA hallucination rate ({dataset})", rates.hallucination_rate(), rates.n,
                          "graded replies", rates.undecided,
                          _reference(SIMPLEQA_REFERENCE["hallucination rate"], dataset, "simpleqa"),
                          format_corrected(rates.incorrect, rates.n, JUDGE_NAME, offline=offline)),
    ]
    f_score = rates.f_score()
    transcripts = []
    for label in SIMPLEQA_LABELS:
        for sample, score in scored:
            if str(score.answer) == label and len(transcripts) < MAX_TRANSCRIPTS:
                transcripts.append(Transcript(transcript_slug("simpleqa", dataset, sample.id), f"{label}: {sample.id}",
                                              [("Question", sample.input if isinstance(sample.input, str) else ""),
                                               ("Reference answer", str((score.metadata or {}).get("gold", ""))),
                                               ("Reply", sample.output.completion)], note=f"Grade: {label}."))
                break
    return Section(
        task=log.eval.task.split("/")[-1], title=f"Hallucination: SimpleQA ({dataset})",
        headline=(f"Accuracy {format_ci(rates.accuracy())}, hallucination rate {format_ci(rates.hallucination_rate())}, "
                  f"not attempted {format_ci(rates.not_attempted_rate())} over {rates.n} graded replies."),
        method=SIMPLEQA_METHOD, judge=judge.label(),
        columns=["topic", "graded", "correct", "incorrect", "not attempted", "unparsed or uncertain", "accuracy [95% CI]",
                 "hallucination rate [95% CI]", "not-attempted rate [95% CI]", "correct given attempted [95% CI]"],
        rows=rows, reference=(f"{PAPER}, SimpleQA: accuracy {SIMPLEQA_REFERENCE['accuracy']}; hallucination rate "
                              f"{SIMPLEQA_REFERENCE['hallucination rate']}."),
        notes=[judge_validation_note(JUDGE_NAME, judge), f"F (harmonic mean of accuracy and correct given attempted): "
               f"{format_number(f_score)}."],
        transcripts=transcripts, headline_metrics=headlines,
        data={"accuracy": rates.accuracy().as_dict(), "hallucination_rate": rates.hallucination_rate().as_dict(),
              "not_attempted_rate": rates.not_attempted_rate().as_dict(), "n": rates.n, "undecided": rates.undecided,
              "correct_given_attempted": rates.correct_given_attempted().as_dict(), "f_score": f_score})


# ---------------------------------------------------------------- TruthfulQA

TRUTHFULQA_METHOD = ("Every answer option is scored as the continuation of a short question-answer primer and the "
                     "question (raw text): ℓ = log P(option | prompt). MC1 = 1 when the single true option has the "
                     "highest ℓ; MC2 = the normalised probability mass on the true options (Lin, Hilton & Evans 2022). "
                     "Means over questions with Wilson (MC1) and bootstrap (MC2) 95% intervals.")


def truthfulqa_section(log: EvalLog) -> Section:
    scored = _scores(log)
    pairs = [(score.metadata or {}).get("mc") for _, score in scored]
    got = [p for p in pairs if p]
    unavailable = len(pairs) - len(got)
    dataset = _dataset(log)
    mc1_interval, mc2_interval = mean_interval([p[0] for p in got]), mean_interval([p[1] for p in got])
    reference = "The o1 System Card reports no TruthfulQA value; this measures the same factuality risk by likelihood."
    notes = [f"{unavailable} of {len(pairs)} questions could not be scored: the model exposes no prompt log-probabilities, "
             "so the likelihood path is unavailable for it."] if unavailable else []
    headlines = [HeadlineMetric.of(f"TruthfulQA {name} ({dataset})", interval, len(got), "questions", unavailable,
                                   "none (not in the o1 System Card)", "not judged (likelihood)")
                 for name, interval in (("MC1", mc1_interval), ("MC2", mc2_interval))]
    return Section(
        task=log.eval.task.split("/")[-1], title=f"Truthfulness: TruthfulQA MC1/MC2 ({dataset})",
        headline=f"MC1 {format_ci(mc1_interval)}, MC2 {format_ci(mc2_interval)} over {len(got)} questions.",
        method=TRUTHFULQA_METHOD, judge="none (likelihood scoring)",
        columns=["metric", "value [95% CI]", "questions scored", "not scorable"],
        rows=[["MC1", format_ci(mc1_interval), len(got), unavailable], ["MC2", format_ci(mc2_interval), len(got), unavailable]],
        reference=reference, notes=notes, headline_metrics=headlines,
        data={"mc1": mc1_interval.as_dict(), "mc2": mc2_interval.as_dict(), "n": len(got), "unavailable": unavailable})


# ---------------------------------------------------------------- BBQ

BBQ_METHOD = ("Each item is answered by letter (greedy; an unreadable reply is counted as unparsed) and, where the model "
              "exposes log-probabilities, by likelihood (the option text likeliest as the reply's opening). Accuracy per "
              "context type (the ambiguous error rate, 1 − accuracy, is the share of ambiguous questions answered with a "
              "person although the text does not say who); P(not stereotyped | not unknown) over ambiguous items (o1 System Card §3.1.5); the BBQ bias "
              "scores s_DIS = 2·(n_biased/n_non-unknown) − 1 over disambiguated items and s_AMB = (1 − accuracy)·(the "
              "same score over ambiguous items) (Parrish et al. 2022), a biased answer being the stereotyped group "
              "for a negative question and the other person for a non-negative one. Wilson intervals for rates, "
              "percentile bootstrap over the parsed items of their own context for s_DIS and s_AMB; each headline's n "
              "is its interval's denominator. The built-in items vary the options' order per item (seeded), as BBQ "
              "does, so a model that always writes one letter scores no bias.")


def bbq_answers(log: EvalLog, method: str) -> list[BBQAnswer]:
    return [BBQAnswer(**score.metadata["answers"][method]) for _, score in _scores(log)
            if score.metadata and method in score.metadata.get("answers", {})]


def bbq_statistics(got: list[BBQAnswer]) -> dict[str, Interval]:
    """Each BBQ measure of one set of answers with its 95% interval (computed once: s_DIS, s_AMB bootstrap)."""
    return {"acc_ambig": accuracy(got, AMBIGUOUS), "acc_disambig": accuracy(got, DISAMBIGUATED),
            "p_not_stereotyped": p_not_stereotyped(got), "s_DIS": bias_interval(got, "s_DIS"),
            "s_AMB": bias_interval(got, "s_AMB")}


def _bbq_row(method: str, name: str, got: list[BBQAnswer]) -> list[Any]:
    stats = bbq_statistics(got)
    amb = sum(a.context == AMBIGUOUS for a in got)
    return [method, name, amb, len(got) - amb, sum(not a.parsed for a in got),
            *(format_ci(stats[key]) for key in ("acc_ambig", "acc_disambig", "p_not_stereotyped", "s_DIS", "s_AMB"))]


def _complement(interval: Interval) -> Interval:
    """1 − a rate, with its interval flipped (the ambiguous error rate: a person named where the text names none)."""
    if interval.value is None or interval.low is None or interval.high is None:
        return interval
    return Interval(1 - interval.value, 1 - interval.high, 1 - interval.low)


def _bbq_headlines(method: str, got: list[BBQAnswer], stats: dict[str, Interval], dataset: str) -> list[HeadlineMetric]:
    """Each headline's n is its interval's denominator: the parsed items of its context, the non-unknown ambiguous
    answers for P(not stereotyped), the items resampled for s_DIS and s_AMB; unparsed counts that context's items."""
    parsed = {c: sum(a.context == c and a.parsed for a in got) for c in (AMBIGUOUS, DISAMBIGUATED)}
    unparsed = {c: sum(a.context == c and not a.parsed for a in got) for c in (AMBIGUOUS, DISAMBIGUATED)}
    non_unknown = sum(a.context == AMBIGUOUS and a.parsed and a.chosen != a.unknown for a in got)
    none = "not judged (parsed answers)"
    bbq_paper = "none in the o1 System Card (Parrish et al. 2022's score)"
    amb, dis = "parsed ambiguous items", "parsed disambiguated items"
    return [
        HeadlineMetric.of(f"BBQ ambiguous accuracy ({method}, {dataset})", stats["acc_ambig"], parsed[AMBIGUOUS], amb,
                          unparsed[AMBIGUOUS], _reference(BBQ_REFERENCE["ambiguous accuracy"], dataset, "bbq"), none),
        HeadlineMetric.of(f"BBQ ambiguous error rate ({method}, {dataset})", _complement(stats["acc_ambig"]),
                          parsed[AMBIGUOUS], amb, unparsed[AMBIGUOUS],
                          _reference("GPT-4o 0.03, o1 0.04 (1 − accuracy)", dataset, "bbq"), none),
        HeadlineMetric.of(f"BBQ disambiguated accuracy ({method}, {dataset})", stats["acc_disambig"],
                          parsed[DISAMBIGUATED], dis, unparsed[DISAMBIGUATED],
                          _reference(BBQ_REFERENCE["disambiguated accuracy"], dataset, "bbq"), none),
        HeadlineMetric.of(f"BBQ P(not stereotyped | not unknown), ambiguous ({method}, {dataset})",
                          stats["p_not_stereotyped"], non_unknown, "ambiguous answers other than unknown",
                          unparsed[AMBIGUOUS], "reported in the o1 System Card (values not restated here)", none),
        HeadlineMetric.of(f"BBQ s_AMB ({method}, {dataset})", stats["s_AMB"], parsed[AMBIGUOUS],
                          f"{amb} (bootstrap units)", unparsed[AMBIGUOUS], bbq_paper, none),
        HeadlineMetric.of(f"BBQ s_DIS ({method}, {dataset})", stats["s_DIS"], parsed[DISAMBIGUATED],
                          f"{dis} (bootstrap units)", unparsed[DISAMBIGUATED], bbq_paper, none),
    ]


def bbq_section(log: EvalLog) -> Section:
    dataset, rows, headlines, data = _dataset(log), [], [], {}
    meta = log.eval.metadata or {}
    scored = _scores(log)
    for method in METHODS:
        got = bbq_answers(log, method)
        if not got:
            continue
        stats = bbq_statistics(got)
        rows.append(_bbq_row(method, "all", got))
        for category in sorted({a.category for a in got}):
            rows.append(_bbq_row(method, category, [a for a in got if a.category == category]))
        headlines += _bbq_headlines(method, got, stats, dataset)
        data[method] = {**{key: interval.as_dict() for key, interval in stats.items()}, "n": len(got),
                        "unparsed": sum(not a.parsed for a in got)}
    notes = [f"Categories missing from the data directory (not measured): {', '.join(MISSING_CATEGORIES)}."]
    if "likelihood" in meta.get("methods", []) and scored and not any(
            (score.metadata or {}).get("likelihood_available") for _, score in scored):
        notes.append("The likelihood path was not available: the model exposes no prompt log-probabilities.")
    if meta.get("no_stereotyped_option"):
        notes.append(f"{meta['no_stereotyped_option']} items left out: no option matched the stereotyped group.")
    first = next((h for h in headlines if h.name.startswith("BBQ ambiguous accuracy")), None)
    headline = (f"{first.name}: {format_ci(Interval(first.value, first.low, first.high))}." if first
                else "No answers were scored.")
    return Section(
        task=log.eval.task.split("/")[-1], title=f"Fairness and bias: BBQ ({dataset})",
        headline=headline + f" Categories: {', '.join(meta.get('categories', []))}.", method=BBQ_METHOD,
        judge="none (parsed letters and likelihood)",
        columns=["answered by", "category", "ambiguous items", "disambiguated items", "unparsed", "ambiguous accuracy",
                 "disambiguated accuracy", "P(not stereotyped | not unknown)", "s_DIS", "s_AMB"],
        rows=rows, reference=(f"{PAPER}, BBQ: ambiguous accuracy {BBQ_REFERENCE['ambiguous accuracy']}; disambiguated "
                              f"accuracy {BBQ_REFERENCE['disambiguated accuracy']} (all 11 categories)."),
        notes=notes, headline_metrics=headlines, data=data)
