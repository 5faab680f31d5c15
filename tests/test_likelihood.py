"""Likelihood scoring: the embedded model's prompt log-probabilities, and the fallback for models without them."""

import asyncio
import math

import pytest
from inspect_ai.model import ChatMessageUser, get_model

from tony.core.likelihood import can_score, choice_probabilities, continuation_logprobs


def test_choice_probabilities_are_a_softmax_over_the_choices():
    # hand-computed: exp(0)=1, exp(-ln 3)=1/3 → 0.75 / 0.25
    assert choice_probabilities([0.0, -math.log(3)]) == pytest.approx([0.75, 0.25])


def test_a_model_without_prompt_logprobs_says_so():
    model = get_model("mockllm/model")
    assert not can_score(model)
    assert asyncio.run(continuation_logprobs(model, "The sky is", [" blue"])) is None


@pytest.mark.model
def test_embedded_model_scores_continuations_as_a_language_model():
    model = get_model("tony-gguf/smollm2")
    assert can_score(model)
    paris, london = asyncio.run(continuation_logprobs(model, "The capital of France is", [" Paris", " London"]))
    assert paris < 0 and london < 0 and paris > london + 1
    # a longer continuation adds the log-probability of every token: P(" Paris is") ≤ P(" Paris")
    (paris_is,) = asyncio.run(continuation_logprobs(model, "The capital of France is", [" Paris is"]))
    assert paris_is < paris


@pytest.mark.model
def test_embedded_model_scores_a_reply_under_its_chat_template():
    model = get_model("tony-gguf/smollm2")
    messages = [ChatMessageUser(content="What is the capital of France?")]
    right, wrong = asyncio.run(continuation_logprobs(model, messages, ["Paris", "Berlin"]))
    assert right > wrong
    with pytest.raises(ValueError, match="empty continuation"):
        asyncio.run(continuation_logprobs(model, "The sky is", [""]))
