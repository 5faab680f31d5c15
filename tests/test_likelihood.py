"""Likelihood scoring: the embedded model's prompt log-probabilities, and the fallback for models without them."""

import asyncio
import math

import pytest
from inspect_ai.model import ChatMessageUser, get_model

from tony.core.likelihood import can_score, choice_probabilities, continuation_logprobs

PRIMER = ("Give a short, true answer to each question.\n\n"
          "Q: How many legs does a spider have?\nA: A spider has eight legs.\n\n"
          "Q: What gas do plants take in from the air?\nA: Plants take in carbon dioxide.\n\n")
# A fixed item set: (context, continuations); None stands for a rendered chat prompt (see `chat_context`). Multi-token
# options after a shared primer (TruthfulQA-style, three items in a row so the primer's cache is reused across
# calls), one-word candidates (Winogender-style), word sets (occupation bias), a chat template, and contexts whose
# last token merges with the continuation's first ("blu" + "e").
ITEMS: list[tuple[str | None, tuple[str, ...]]] = [
    (f"{PRIMER}Q: Does cracking your knuckles cause arthritis?\nA:",
     (" No, studies find no link to arthritis", " Not as far as anyone has shown",
      " Yes, it wears out the joints", " Yes")),
    (f"{PRIMER}Q: Do goldfish remember things for only three seconds?\nA:",
     (" No, goldfish can remember things for months", " No",
      " Yes, their memory lasts three seconds", " Yes, they forget everything at once")),
    (f"{PRIMER}Q: Does lightning never strike the same place twice?\nA:",
     (" Lightning often strikes the same place again", " It can strike the same place many times",
      " Yes, it never strikes twice", " Correct, a struck place is safe")),
    ('The baker phoned the courier because she had burnt the bread. In this sentence, "she" refers to the',
     (" baker", " courier")),
    ('The librarian warned the student that he would be fined. In this sentence, "he" refers to the',
     (" librarian", " student")),
    ("The pilot was a", (" she", " woman", " mother", " he", " man", " father")),
    (None, ("Paris", "Berlin", "The capital of France is Paris.")),
    ("The sky is blu", ("e", " blue sky", "is")),
    ("Hello wor", ("ld", "ld, how are you?")),
]


def chat_context(model) -> str:
    return model.api.chat_prompt([ChatMessageUser(content="What is the capital of France?")])


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


# log P(c | x) of every continuation of ITEMS, recorded from the method before prefix reuse (every continuation
# evaluated with its whole context from an empty cache), llama-cpp-python 0.3.36, rounded to 5 decimals.
RECORDED = [
    [-27.65819, -27.86965, -26.74885, -4.13062], [-13.05197, -0.15058, -17.55658, -25.51366],
    [-18.12733, -15.05569, -23.30342, -53.29616], [-1.04024, -3.48903], [-3.4169, -0.77446],
    [-11.0924, -7.80769, -10.30846, -10.87443, -7.97959, -11.77147], [-4.38204, -11.86861, -2.77518],
    [-21.11136, -20.09482, -19.68602], [-7.53111, -23.5111],
]


@pytest.fixture(scope="module")
def embedded():
    return get_model("tony-gguf/smollm2")


def score_items(model) -> list[list[float]]:
    return [model.api.score_continuations(chat_context(model) if context is None else context, list(options))
            for context, options in ITEMS]


@pytest.mark.model
def test_prefix_reuse_gives_the_recorded_logprobs_of_the_previous_method(embedded):
    from tony.model.gguf_likelihood import score_from_scratch

    scored = score_items(embedded)
    for got, recorded in zip(scored, RECORDED, strict=True):
        assert got == pytest.approx(recorded, abs=1e-4)
    # and the previous method, run now, agrees with the recording (so the recording is what it computes here)
    llama = embedded.api._model(logits_all=True).llama
    context, options = ITEMS[0]
    assert score_from_scratch(llama, context, list(options)) == pytest.approx(RECORDED[0], abs=1e-4)
    # a second pass, in another order, starts from whatever the cache holds and still gives the same numbers
    for index in (6, 1, 0, 7, 2, 5, 5, 8, 8):  # 5, 5 and 8, 8: the whole context is in the cache
        context, options = ITEMS[index]
        context = chat_context(embedded) if context is None else context
        assert embedded.api.score_continuations(context, list(options)) == pytest.approx(RECORDED[index], abs=1e-4)


@pytest.mark.model
def test_the_shared_context_is_evaluated_once_per_item(embedded, monkeypatch):
    llama = embedded.api._model(logits_all=True).llama
    evaluated: list[tuple[int, int]] = []  # (tokens, logit rows asked for) of every llama_decode call
    original = llama._ctx.decode

    def decode(batch):
        n = batch.n_tokens()
        evaluated.append((n, sum(bool(batch.batch.logits[i]) for i in range(n))))
        return original(batch)

    monkeypatch.setattr(llama._ctx, "decode", decode)
    llama.reset()
    context, options = ITEMS[0][0], [*ITEMS[0][1], " Yes."]
    head = llama.tokenize(context.encode("utf-8"), add_bos=True)
    tails = [len(llama.tokenize((context + o).encode("utf-8"), add_bos=True)) - len(head) for o in options]
    embedded.api.score_continuations(context, list(options))
    # the context once (the logits of its last two positions only), then each continuation but its last token (whose
    # probability the row before it gives); a batch of one token is never evaluated (llama.cpp's logits differ for
    # it), so a two-token continuation takes the context's last token along
    assert tails == [8, 7, 7, 1, 2]
    assert evaluated == [(len(head), 2), (7, 7), (6, 6), (6, 6), (2, 2)]
    # the next item shares the primer: only its tokens after the prefix it has in common with the cache are evaluated
    evaluated.clear()
    nxt, nxt_options = ITEMS[1]
    nxt_head = llama.tokenize(nxt.encode("utf-8"), add_bos=True)
    common = next(i for i, (a, b) in enumerate(zip(head, nxt_head)) if a != b)
    embedded.api.score_continuations(nxt, [" No"])  # " No" is one token: nothing evaluated past the context
    assert evaluated == [(len(nxt_head) - common, 2)]


@pytest.mark.model
def test_a_context_longer_than_one_batch_gives_the_previous_methods_logprobs(embedded):
    from tony.model.gguf_likelihood import score_from_scratch, score_with_shared_prefix

    llama = embedded.api._model(logits_all=True).llama
    sentences = [f"Item {n}: the {colour} box holds {n * 7} marbles." for n, colour in
                 enumerate(["red", "green", "blue", "grey", "white", "black"] * 9)]
    context = " ".join(sentences) + " The box that holds 21 marbles is the"
    assert len(llama.tokenize(context.encode("utf-8"), add_bos=True)) > llama.n_batch  # two batches
    options = [" grey", " green box", " white one, I think"]
    before = score_from_scratch(llama, context, options)
    llama.reset()
    assert score_with_shared_prefix(llama, context, options) == pytest.approx(before, abs=1e-4)
