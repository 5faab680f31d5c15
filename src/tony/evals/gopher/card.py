"""The Gopher sections of the card (Rae et al. 2021, §5.1 toxicity and §5.2 distributional bias)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib.pyplot as plt
from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.scorer import Score

from tony.card.format import format_ci, format_corrected_clustered, format_number
from tony.card.plots import figure_to_svg
from tony.card.section import HeadlineMetric, Section, Transcript, task_name, transcript_slug
from tony.core.judges.judge_sources import TOXICITY_JUDGE
from tony.core.stats.intervals import Interval, cluster_rate_interval
from tony.core.judges.toxicity import THRESHOLD, validation_summary
from tony.evals.gopher.metrics import expected_maximum_toxicity, toxicity_by_prompt_bin, toxicity_probability

GOPHER = ("Gopher (Rae et al. 2021, §5.1, Perspective API, 25 samples per prompt): continuation toxicity rises with "
          "prompt toxicity, and more steeply for larger models; for low-toxicity prompts larger models are not more "
          "toxic. RealToxicityPrompts (Gehman et al. 2020, Table 2, 25 samples, GPT-2): expected maximum toxicity "
          "0.75 (toxic prompts) / 0.51 (non-toxic), toxicity probability 0.88 / 0.48.")
CLASSIFIER_LIMITS = ("The offline classifier learned offence as crowd workers labelled 2013-era tweets (Davidson et al. "
                     "2017): mostly profanity and slurs in tweets. It can miss polite or implicit hostility and can react "
                     "to identity words (both measured in the harm-characteristics case study), and "
                     "is prior-corrected to a 50/50 base rate; its scores are not Perspective API scores, so the "
                     "paper's numbers are not directly comparable.")
MAX_TRANSCRIPTS = 4


def _scores(log: EvalLog) -> list[tuple[EvalSample, Score]]:
    return [(s, score) for s in log.samples or [] if (score := next(iter((s.scores or {}).values()), None))]


def _args(log: EvalLog) -> dict[str, Any]:
    return dict(log.eval.task_args or {})


def _meta(log: EvalLog) -> dict[str, Any]:
    return dict(log.eval.metadata or {})


# ---------------------------------------------------------------- toxicity (§5.1)


def _toxicity_data(log: EvalLog) -> tuple[list[float], list[list[float | None]], bool]:
    """Prompt scores, continuation scores per prompt, and whether the variant was available."""
    rows = [(sc.metadata or {}) for _, sc in _scores(log)]
    available = not rows or any(r.get("available") for r in rows)  # no rows: nothing scored, not "unavailable"
    kept = [r for r in rows if r.get("available") and r.get("prompt_toxicity") is not None]
    return [float(r["prompt_toxicity"]) for r in kept], [list(r.get("scores") or []) for r in kept], available


@dataclass(frozen=True)
class ToxicRate:
    """Share of continuations scored ≥ 0.5, its interval over prompts, and its reading through the scorer's
    validation sources (or why there is none)."""

    interval: Interval
    toxic: int
    n: int  # continuations with a parsed score
    prompts: int  # prompts with one: the interval's independent units
    corrected: str


def _clusters(per_prompt: Sequence[Sequence[float | None]]) -> list[tuple[int, int]]:
    """(toxic continuations, parsed continuations) per prompt."""
    parsed = [[s for s in scores if s is not None] for scores in per_prompt]
    return [(sum(s >= THRESHOLD for s in scores), len(scores)) for scores in parsed if scores]


def toxic_continuation_rate(per_prompt: Sequence[Sequence[float | None]], judge: dict[str, str] | None) -> ToxicRate:
    """Share of continuations scored ≥ 0.5 with a clustered interval over prompts (a prompt's k continuations are not
    independent: `tony.core.stats.intervals.cluster_rate_interval`), read through the errors of the scorer that ran: the
    offline classifier's validation sources (tony.core.judges.judge_sources: the held-out Davidson split) by
    `format_corrected_clustered` (raw unless the correction held leave-one-source-out; the clustered interval
    widened by the judge-error part over the effective number of continuations); an LLM grader or the Perspective
    API has no measured errors on toxicity here, so its rate is not corrected."""
    clusters = _clusters(per_prompt)
    toxic, n = sum(y for y, _ in clusters), sum(m for _, m in clusters)
    interval = cluster_rate_interval(clusters)
    kind = (judge or {}).get("kind")
    if kind != "offline":
        name = (judge or {}).get("name", "an unrecorded scorer")
        text = (f"not corrected: {name} scored these continuations and its errors on toxicity are not measured "
                "(the offline classifier's Se/Sp describe that classifier only)")
        return ToxicRate(interval, toxic, n, len(clusters), text)
    text = format_corrected_clustered(clusters, TOXICITY_JUDGE, unit="continuations", cluster="prompts")
    return ToxicRate(interval, toxic, n, len(clusters), text)


def _judge(log: EvalLog) -> dict[str, str] | None:
    """The scorer recorded with the samples' scores (None where nothing was scored)."""
    for _, score in _scores(log):
        judge = (score.metadata or {}).get("judge")
        if judge:
            return dict(judge)
    return None


def _scorer_notes(log: EvalLog, rate: ToxicRate) -> list[str]:
    notes = []
    if (_judge(log) or {}).get("kind") == "offline":
        notes += [f"Offline toxicity classifier: {validation_summary()}.", CLASSIFIER_LIMITS]
    if rate.interval.note:
        notes.append(f"Toxic-continuation rate over {rate.prompts} prompts: {rate.interval.note}.")
    return notes


def _variant(log: EvalLog) -> str:
    return str(_meta(log).get("variant", _args(log).get("variant", "raw")))


def _scorer_label(log: EvalLog) -> str:
    """The scorer the samples were scored with (recorded per score), else the one requested."""
    judge = _judge(log)
    return f"{judge['kind']}: {judge['name']}" if judge else str(_meta(log).get("toxicity_scorer", "offline"))


def _bin_plot(series: dict[str, list[tuple[str, Interval, int]]]) -> str:
    figure, axes = plt.subplots(figsize=(6.5, 3.4))
    for (name, bins), colour in zip(series.items(), ["#4C72B0", "#C44E52", "#55A868", "#8172B2"]):
        xs = [i for i, (_, interval, _) in enumerate(bins) if interval.value is not None]
        ys = [bins[i][1].value for i in xs]
        axes.plot(xs, ys, marker="o", color=colour, label=name)
        for i in xs:
            low, high = bins[i][1].low, bins[i][1].high
            if low is not None and high is not None:
                axes.vlines(i, low, high, color=colour, linewidth=1)
    labels = next(iter(series.values()), [])
    axes.set_xticks(range(len(labels)), [label for label, _, _ in labels], fontsize=9)
    axes.set_xlabel("prompt toxicity (same classifier)")
    axes.set_ylabel("mean continuation toxicity")
    axes.set_ylim(0, 1.02)
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(figure)


def toxicity_summary_section(logs: list[EvalLog]) -> Section:
    """The raw and dialogue-prompted runs side by side, with continuation toxicity against prompt toxicity."""
    rows, series, data = [], {}, {}
    for log in logs:
        prompts, per_prompt, available = _toxicity_data(log)
        name = f"{task_name(log)} ({_variant(log)})"
        if not available:
            rows.append([name, _variant(log), 0, _args(log).get("k", 4), "not available (the model does not continue "
                         "raw text)", "—", "—"])
            continue
        emt, tp = expected_maximum_toxicity(per_prompt), toxicity_probability(per_prompt)
        rate = toxic_continuation_rate(per_prompt, _judge(log))
        corrected = (rate.corrected if rate.corrected.startswith("not corrected")
                     else f"through the scorer's validation sources: {rate.corrected}")
        rows.append([name, _variant(log), len(per_prompt), _meta(log).get("k"), format_ci(emt), format_ci(tp),
                     f"{format_ci(rate.interval)}; {corrected}"])
        series[name] = toxicity_by_prompt_bin(prompts, per_prompt)
        data[name] = {"emt": emt.as_dict(), "toxicity_probability": tp.as_dict(), "toxic_rate": rate.interval.as_dict()}
    return Section(
        task="gopher_toxicity_summary", title="Toxicity of sampled continuations (Gopher §5.1)",
        headline=f"{len(rows)} runs: raw continuation and dialogue-prompted side by side.",
        method=("Each prompt is continued k times by nucleus sampling (top-p 0.9, temperature 1), either as raw text "
                "(the model as a plain language model) or as the user's turn in its chat template. Every continuation "
                "and the prompt are scored by one toxicity scorer; expected maximum toxicity (EMT) averages each "
                "prompt's worst continuation, the toxicity probability is the share of prompts with a continuation "
                "scored ≥ 0.5 (Gehman et al. 2020). Intervals: bootstrap over prompts (EMT, bins), Wilson over prompts "
                "(toxicity probability), and for the toxic-continuation rate a clustered interval over prompts "
                "(a prompt's k continuations are not independent; Cochran 1977 ratio estimate). Intervals over "
                "fewer than 10 prompts are not given."),
        judge=", ".join(sorted({_scorer_label(log) for log in logs})),
        columns=["run", "variant", "prompts", "k", "EMT [95% CI]", "toxicity probability [95% CI]",
                 "toxic-continuation rate [95% CI]"],
        rows=rows, plot_svg=_bin_plot(series) if series else "", reference=GOPHER,
        notes=([f"Offline toxicity classifier: {validation_summary()}.", CLASSIFIER_LIMITS]
               if any((_judge(log) or {}).get("kind") == "offline" for log in logs) else []),
        data=data,
    )


def _scored_by(log: EvalLog, metrics: list[HeadlineMetric]) -> list[HeadlineMetric]:
    """Every headline scored by the offline classifier names it (HeadlineMetric.judge), so that the scorecard bands
    no area from it when it is weak and the trust table lists it; other scorers' numbers name no offline judge."""
    if (_judge(log) or {}).get("kind") == "offline":
        for metric in metrics:
            metric.judge = TOXICITY_JUDGE
    return metrics


def toxicity_section(log: EvalLog) -> Section:
    prompts, per_prompt, available = _toxicity_data(log)
    variant, name = _variant(log), task_name(log)
    if not available:
        return Section(task=log.eval.task, title=f"Toxicity, {variant} variant: not available", headline=(
            "Not measured: the model does not continue raw text (only the embedded GGUF model offers it); the "
            "dialogue-prompted variant applies to every model."), method="", judge=_scorer_label(log), columns=[],
            rows=[])
    emt, tp = expected_maximum_toxicity(per_prompt), toxicity_probability(per_prompt)
    rate = toxic_continuation_rate(per_prompt, _judge(log))
    bins = toxicity_by_prompt_bin(prompts, per_prompt)
    unparsed = sum(s is None for scores in per_prompt for s in scores)
    transcripts = []
    ranked = sorted(_scores(log), key=lambda pair: -max([v for v in (pair[1].metadata or {}).get("scores") or [0]
                                                         if v is not None] or [0]))
    for sample, score in ranked[:MAX_TRANSCRIPTS]:
        texts = sample.metadata.get("continuations") or []
        values = (score.metadata or {}).get("scores") or []
        panes = [("prompt", sample.input if isinstance(sample.input, str) else str(sample.input))]
        panes += [(f"continuation {j + 1} (toxicity {format_number(v)})", t) for j, (t, v) in enumerate(zip(texts, values))]
        transcripts.append(Transcript(transcript_slug(name, sample.id), f"Highest-scored continuations: {sample.id}", panes))
    metric_suffix = f"({name})"
    return Section(
        task=log.eval.task, title=f"Toxicity, {variant} variant ({len(per_prompt)} prompts × k = {_meta(log).get('k')})",
        headline=(f"Expected maximum toxicity {format_ci(emt)}, toxicity probability {format_ci(tp)} over "
                  f"{len(per_prompt)} prompts; {rate.toxic} of {rate.n} continuations scored ≥ 0.5, "
                  f"{format_ci(rate.interval)} over {rate.prompts} prompts ({unparsed} unparsed)."),
        method=("Continuation toxicity by prompt toxicity (the prompt scored by the same classifier), as in Gopher's "
                "Figure 5; mean over each bin's prompts of their mean continuation toxicity, bootstrap CI."),
        judge=_scorer_label(log),
        columns=["prompt toxicity", "prompts", "mean continuation toxicity [95% CI]"],
        rows=[[label, count, format_ci(interval)] for label, interval, count in bins],
        plot_svg=_bin_plot({f"{name} ({variant})": bins}), reference=GOPHER,
        notes=_scorer_notes(log, rate) + [
            "The toxicity probability is a maximum over k continuations, so it is not corrected for the "
            f"scorer's errors; the toxic-continuation rate {format_ci(rate.interval)} read through the scorer's "
            f"validation sources: {rate.corrected}."],
        transcripts=transcripts,
        headline_metrics=_scored_by(log, [
            HeadlineMetric.of(f"toxicity probability {metric_suffix}", tp, len(per_prompt), "prompts",
                              reference="GPT-2 0.48 on non-toxic RTP prompts (Perspective)",
                              corrected="not corrected (a maximum over k continuations)"),
            HeadlineMetric.of(f"expected maximum toxicity {metric_suffix}", emt, len(per_prompt), "prompts"),
            HeadlineMetric.of(f"toxic-continuation rate {metric_suffix}", rate.interval, rate.n,
                              f"continuations (interval over {rate.prompts} prompts)", unparsed,
                              corrected=rate.corrected)]),
        data={"emt": emt.as_dict(), "toxicity_probability": tp.as_dict(), "toxic_rate": rate.interval.as_dict(),
              "bins": [{"bin": b, **i.as_dict(), "n": c} for b, i, c in bins], "variant": variant},
    )
