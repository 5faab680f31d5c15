"""Gopher §5.1 (Rae et al. 2021): toxicity of sampled continuations of RealToxicityPrompts.

Each prompt is continued k times by nucleus sampling (`sampling.py`), raw or as a user turn (`variant`); every
continuation, and the prompt itself, is scored by one toxicity scorer (`tony.core.judges.toxicity`: the offline classifier,
the grader-role model, or the Perspective API). `metrics.py` turns the scores into expected maximum toxicity, the
toxicity probability and continuation toxicity binned by prompt toxicity.
"""

from __future__ import annotations

from typing import Any

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.scorer import Metric, SampleScore, Score, Target, metric, scorer
from inspect_ai.solver import TaskState

from tony.core.judges.grader import JudgeInfo
from tony.core.judges.toxicity import resolve_scorer, score_toxicity
from tony.evals.gopher.metrics import expected_maximum_toxicity, toxicity_probability
from tony.evals.gopher.prompts import Prompt, builtin_prompts, code_provenance, rtp_prompts
from tony.evals.gopher.sampling import continue_prompt

SCORER_NAME = "continuation_toxicity"
PAPER = "Rae et al. 2021 (Gopher), §5.1"


def _per_prompt(scores: list[SampleScore]) -> list[list[float | None]]:
    return [list(s.score.metadata.get("scores") or []) for s in scores if s.score.metadata]


@metric
def expected_max_toxicity() -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        value = expected_maximum_toxicity(_per_prompt(scores)).value
        return float("nan") if value is None else value

    return compute


@metric
def toxicity_prob() -> Metric:
    def compute(scores: list[SampleScore]) -> float:
        value = toxicity_probability(_per_prompt(scores)).value
        return float("nan") if value is None else value

    return compute


def judge_info(scorer_name: str) -> JudgeInfo:
    if scorer_name.startswith("grader:"):
        return JudgeInfo("llm", scorer_name.removeprefix("grader:"))
    if scorer_name == "perspective":
        return JudgeInfo("api", "Perspective API TOXICITY")
    return JudgeInfo("offline", "tony toxicity classifier (Davidson et al. 2017 labels)")


@scorer(metrics=[expected_max_toxicity(), toxicity_prob()])
def continuation_toxicity(toxicity_scorer: str = "offline") -> Any:
    """Scores the prompt and each continuation; the value is the maximum continuation toxicity."""

    async def score(state: TaskState, target: Target) -> Score:
        continuations = state.metadata.get("continuations")
        prompt = await score_toxicity(state.input_text, toxicity_scorer)
        if continuations is None:
            return Score(value=float("nan"), answer="not available", explanation="the model cannot continue raw text",
                         metadata={"scores": [], "prompt_toxicity": prompt.value, "available": False,
                                   "judge": judge_info(prompt.scorer).__dict__})
        results = [await score_toxicity(text, toxicity_scorer) for text in continuations]
        values = [r.value for r in results]
        found = [v for v in values if v is not None]
        return Score(value=max(found) if found else float("nan"), answer=f"{len(found)}/{len(values)} scored",
                     explanation="\n".join(r.raw for r in results if r.raw)[:2000],
                     metadata={"scores": values, "prompt_toxicity": prompt.value, "available": True,
                               "unparsed": len(values) - len(found), "judge": judge_info(prompt.scorer).__dict__})

    return score


def _sample(prompt: Prompt) -> Sample:
    return Sample(id=prompt.id, input=prompt.text, metadata={"category": prompt.category})


@task
def gopher_toxicity(dataset: str = "builtin", prompts: int | None = None, k: int = 4, variant: str = "raw",
                    max_tokens: int = 20, seed: int = 0, toxicity_scorer: str = "auto",
                    data_dir: str | None = None) -> Task:
    """Toxicity of k sampled continuations per prompt (Gopher §5.1).

    Args:
        dataset: `builtin` (tony's own openings) or `realtoxicityprompts` (the public 700-prompt subset).
        prompts: how many prompts (None: all), drawn in turn from each RTP attribute file with `seed`.
        k: continuations per prompt (Gopher and RTP use 25).
        variant: `raw` (plain text continuation) or `dialogue` (the prompt as a user turn).
        max_tokens: tokens per continuation (RTP: 20).
        toxicity_scorer: `auto` (grader role if bound, else offline), `offline`, `grader` or `perspective`.
    """
    if dataset == "builtin":
        items, provenance = builtin_prompts()[:prompts], code_provenance("gopher_prompts")
    elif dataset == "realtoxicityprompts":
        items, provenance = rtp_prompts(prompts, seed, data_dir)
    else:
        raise ValueError(f"unknown dataset {dataset!r}; choose builtin or realtoxicityprompts")
    resolve_scorer(toxicity_scorer)  # an unknown scorer fails here; `auto` is resolved when scoring
    chosen = toxicity_scorer
    return Task(
        dataset=MemoryDataset([_sample(p) for p in items], name=f"gopher-toxicity-{dataset}"),
        solver=continue_prompt(variant, k, max_tokens, seed),
        scorer=continuation_toxicity(chosen),
        metadata={"provenance": provenance.as_dict(), "paper": PAPER, "variant": variant, "k": k,
                  "max_tokens": max_tokens, "toxicity_scorer": chosen},
    )

