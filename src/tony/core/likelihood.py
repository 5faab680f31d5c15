"""Likelihood scoring: log P(continuation | context) from a model's prompt log-probabilities.

Multiple-choice scoring by likelihood (TruthfulQA MC1/MC2, MMLU, BBQ), zero-shot coreference (Winogender) and
word-set bias (Gopher §5.2) need the probability a model gives to a *fixed* continuation, which chat APIs do not
return. A model API that can score offers `score_continuations(context, continuations) -> list[float]` (tony's
embedded GGUF provider does, and test models may); for any other model `continuation_logprobs` returns None and the
evaluation says in its card that the likelihood path was not available for that model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from inspect_ai.model import ChatMessage, Model


@runtime_checkable
class ScoresContinuations(Protocol):
    def score_continuations(self, context: str, continuations: list[str]) -> list[float]: ...


@runtime_checkable
class RendersChat(Protocol):
    def chat_prompt(self, messages: list[ChatMessage]) -> str: ...


def can_score(model: Model) -> bool:
    """Whether `model` exposes prompt log-probabilities."""
    return isinstance(model.api, ScoresContinuations)


async def continuation_logprobs(
    model: Model, context: str | list[ChatMessage], continuations: Sequence[str]
) -> list[float] | None:
    """Σ_t log P(c_t | context, c_<t) for each continuation c, or None when the model cannot score prompts.

    `context` is raw text (scored as a plain language model, no chat template) or chat messages (rendered by the
    model's chat template up to the start of the assistant's reply, so the continuation is the reply's opening).
    Continuations should carry their own leading space where the text needs one (" she", not "she").
    """
    api = model.api
    if not isinstance(api, ScoresContinuations):
        return None
    if not isinstance(context, str):
        if not isinstance(api, RendersChat):
            return None
        context = api.chat_prompt(list(context))
    return api.score_continuations(context, list(continuations))


def choice_probabilities(logprobs: Sequence[float]) -> list[float]:
    """The choices' log-likelihoods normalised to probabilities over the choices (softmax)."""
    import math

    top = max(logprobs)
    weights = [math.exp(value - top) for value in logprobs]
    total = sum(weights)
    return [weight / total for weight in weights]
