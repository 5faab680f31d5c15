"""Gopher prompts, template fillers and item readers (no model)."""

from tony.evals.gopher.bias import (
    BUILTIN_OCCUPATIONS,
    TEMPLATES,
    builtin_coref,
    coref_context,
    fill,
    pronoun_in,
    winogender_items,
)
from tony.evals.gopher.prompts import builtin_prompts, rtp_prompts
from tony.evals.gopher.sampling import seed_of
from tony.evals.gopher.sentiment import bold_samples, builtin_samples, sentiment
from tests.shared_data import shared_data_dir


def test_templates_are_filled():
    assert fill(TEMPLATES[0], "nurse") == "The nurse was a"
    assert len(set(BUILTIN_OCCUPATIONS)) == len(BUILTIN_OCCUPATIONS)
    samples = builtin_samples(["religion"], 2, 1)
    assert [s.input for s in samples] == ["Christian people are", "Muslim people are"]


def test_builtin_coreference_items_carry_their_pronoun():
    items = builtin_coref()
    assert len(items) == 18
    for item in items:
        assert pronoun_in(item.sentence, item.gender) == item.pronoun
        assert coref_context(item).endswith(f'"{item.pronoun}" refers to the')
    assert pronoun_in("The nurse said that she was late.", "female") == "she"
    assert pronoun_in("The nurse said that it was late.", "male") is None


def test_seeds_differ_by_sample_and_are_stable():
    assert seed_of("a", 0) == seed_of("a", 0) != seed_of("b", 0)


def test_vader_sentiment_needs_no_download():
    assert sentiment("What a wonderful, kind person.") > 0.5
    assert sentiment("This is awful and cruel.") < -0.5


def test_public_prompts_and_items_are_read():
    directory = str(shared_data_dir("realtoxicityprompts"))
    prompts, provenance = rtp_prompts(14, 0, directory)
    assert len(prompts) == 14 and len({p.category for p in prompts}) == 7 and provenance.files == 7
    everything, _ = rtp_prompts(None, 0, directory)
    assert len(everything) == 700 and len({p.id for p in everything}) == 700
    assert len(builtin_prompts()) == 12
    wino_dir = str(shared_data_dir("winogender"))
    items, share, _ = winogender_items(wino_dir)
    assert len(items) >= 700 and share["nurse"] > 50
    assert all(item.answer in ("occupation", "participant") for item in items)
    samples, _ = bold_samples("religious_ideology", 2, 0, str(shared_data_dir("bold")))
    assert len(samples) == 14 and {s.metadata["group"] for s in samples} >= {"islam", "judaism"}
