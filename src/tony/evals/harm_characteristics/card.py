"""The card section of Rauh et al. 2022: the six characteristics of every harm-related evaluation that ran in this
card (declared by each plugin as `harms=`), then the case study of tony's toxicity classifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inspect_ai.log import EvalLog, read_eval_log

from tony.card.format import format_ci, format_number
from tony.card.plots import bar_chart_with_intervals
from tony.card.section import HeadlineMetric, Section, Table, registered_task
from tony.core.plugin import evaluations
from tony.core.judges.toxicity import validation_summary
from tony.evals.harm_characteristics.case_study import CONTROL
from tony.evals.harm_characteristics.metrics import (
    context_shift,
    definition_agreement,
    identity_differences,
    identity_shifts,
    largest_shift,
)

DEPARTURES = (
    "Definition: the classifier learned crowd judgements of whether a tweet is offensive language or hate speech, "
    "which counts profanity whether or not it is aimed at anyone; the toxicity evaluation claims to measure language "
    "that insults, demeans or threatens a reader or a group, which needs no bad word (the definition probes).",
    "Context: it reads a text alone, while the harm of a quotation, a counter-speech reply, a film line or a polite "
    "remark depends on who says it to whom (Rauh et al.'s context characteristic); scores in context differ from "
    "scores alone only through the words the context adds (the context probes).",
    "Recipient: it has no notion of whom a text harms, so a neutral sentence that names a group may score differently "
    "from the same sentence with a control word (the identity-term shifts, with their intervals).",
)


def ran_tasks(log: EvalLog) -> set[str] | None:
    """Registered tasks of every log beside this one (the card's log folder), or None where it cannot be read."""
    location = Path(log.location or "")
    if not location.parent.is_dir():
        return None
    tasks = set()
    for path in list(location.parent.glob("*.eval")) + list(location.parent.glob("*.json")):
        try:
            tasks.add(registered_task(read_eval_log(str(path), header_only=True)))
        except Exception:  # a file that is not a log: the card warns about it elsewhere
            continue
    return tasks


def characteristics_table(tasks: set[str] | None) -> Table:
    """One row per declared task (those that ran, where known), in card order."""
    rows = []
    for evaluation in evaluations():
        for task_name, p in evaluation.harms.items():
            if tasks is not None and task_name not in tasks:
                continue
            rows.append([task_name, evaluation.paper.citation, p.definition, ", ".join(p.kinds), ", ".join(p.scopes),
                         ", ".join(p.contexts), ", ".join(p.recipients), ", ".join(p.groups) or "none named"])
    which = "that ran in this card" if tasks is not None else "declared in tony (the card's log folder was unreadable)"
    return Table(f"The six characteristics of harmful text (Rauh et al. 2022) for each harm-related evaluation {which}",
                 ["task", "paper", "harm definition", "representation / allocation / capability",
                  "instance / distributional", "context", "harm recipient", "groups affected"], rows)


def _probes(log: EvalLog) -> list[dict[str, Any]]:
    out = []
    for sample in log.samples or []:
        score = next(iter((sample.scores or {}).values()), None)
        if score is not None and score.metadata and score.metadata.get("score") is not None:
            out.append({**score.metadata, "text": sample.input})
    return out


def case_study_section(log: EvalLog) -> Section:
    probes = _probes(log)
    context = [p for p in probes if p["probe"] == "context" and p.get("score_in_context") is not None]
    identity = {(p["template"], g): v for p in probes if p["probe"] == "identity"
                for g, v in (p.get("group_scores") or {}).items() if v is not None}
    definition = [p for p in probes if p["probe"] == "definition"]
    shifts, differences = identity_shifts(identity, CONTROL), identity_differences(identity, CONTROL)
    names = largest_shift(shifts)
    agreement = definition_agreement([p["score"] for p in definition], [p["harmful"] for p in definition])
    context_agreement = definition_agreement([p["score_in_context"] for p in context], [p["harmful"] for p in context])
    largest = names[0] if names else None
    n_largest = len(differences[largest]) if largest else 0  # the templates its interval resamples
    scorer = next((p["scorer"] for p in probes), "offline")
    tables = [
        characteristics_table(ran_tasks(log)),
        Table("Context: the same text scored alone and after its context (shift = in context − alone)",
              ["context", "text", "harmful in context", "alone", "in context", "shift"],
              [[p["context"], p["text"], "yes" if p["harmful"] else "no", format_number(p["score"]),
                format_number(p["score_in_context"]), f"{context_shift(p['score'], p['score_in_context']):+.2f}"]
               for p in context]),
        Table(f"Definition: texts where offensive language and harm part ways (classifier agrees with the harm label "
              f"on {format_number(agreement)} of them at 0.5)", ["text", "harmful by the evaluation's definition",
                                                                   "why they may disagree", "classifier score"],
              [[p["text"], "yes" if p["harmful"] else "no", p["why"], format_number(p["score"])] for p in definition]),
    ]
    return Section(
        task=log.eval.task, title="Characteristics of harmful text (Rauh et al. 2022) and a toxicity-classifier case study",
        headline=(f"The identity-term shift of the classifier's score in neutral sentences largest in size is "
                  f"{format_ci(shifts[largest]) if largest else 'n/a'} ({largest}) against the control word "
                  f"'{CONTROL}', over {n_largest} templates; it agrees with the harm label on {format_number(context_agreement)} of the texts in "
                  f"context and {format_number(agreement)} of the definition probes."),
        method=("As Rauh et al. did for the Perspective API, on tony's own toxicity classifier: (1) texts scored with and "
                "without the context that decides their harm; (2) neutral sentences with each group's word in a slot, "
                "shift(g) = mean over templates of score(g) − score(control), bootstrap 95% CI over the "
                f"{len({t for t, _ in identity})} templates; (3) texts where profanity and harm part ways. All texts "
                "are tony's own; the model under test is not called."),
        judge=scorer, columns=["group (largest shift in size first)", "score shift against the control [95% CI]"],
        rows=[[g, format_ci(shifts[g])] for g in names],
        plot_svg=bar_chart_with_intervals(names, [shifts[g].value for g in names], [shifts[g].low for g in names],
                                          [shifts[g].high for g in names], "score shift"),
        reference=("Rauh et al. 2022 (§5) found the Perspective API's scores change with context the API never sees and "
                   "rise for identity terms in neutral text."),
        notes=[f"Where the classifier's definition of toxicity departs from the harm measured: {d}" for d in DEPARTURES]
        + [f"Offline toxicity classifier: {validation_summary()}."],
        tables=tables,
        headline_metrics=[HeadlineMetric.of(f"identity-term score shift ({largest})", shifts[largest], n_largest,
                                            "templates")] if largest else [],
        data={"identity_shift": {g: shifts[g].as_dict() for g in names}, "definition_agreement": agreement,
              "context_agreement": context_agreement},
    )
