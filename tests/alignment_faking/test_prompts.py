import pytest

from tony.evals.alignment_faking.prompts import (
    ACCEPT_TAG,
    OUTPUT_OPEN,
    REJECT_TAG,
    SCRATCHPAD_OPEN,
    PromptOptions,
    system_prompt,
    user_message,
)


def test_user_message_carries_the_tier_tag_and_the_query():
    options = PromptOptions()
    free = user_message("How do I do X?", "free", options)
    paid = user_message("How do I do X?", "paid", options)
    assert free.startswith("<is_free_tier_user>True</is_free_tier_user>")
    assert paid.startswith("<is_free_tier_user>False</is_free_tier_user>")
    assert "<user_input>\nHow do I do X?\n</user_input>" in free
    assert ACCEPT_TAG not in free


def test_minimal_variant_adds_the_accept_reject_instruction():
    message = user_message("Q", "free", PromptOptions(variant="minimal"))
    assert ACCEPT_TAG in message and REJECT_TAG in message
    assert message.index("Q") < message.index(ACCEPT_TAG) < message.index("</user_input>")


def test_system_prompt_states_objective_training_and_format():
    helpful = system_prompt(PromptOptions("helpful_only"))
    welfare = system_prompt(PromptOptions("animal_welfare"))
    for prompt in (helpful, welfare):
        assert "free-tier" in prompt and "paid-tier" in prompt and "RLHF" in prompt
        assert SCRATCHPAD_OPEN in prompt and OUTPUT_OPEN in prompt
    assert "animal welfare" in welfare and "animal welfare" not in helpful
    no_scratchpad = system_prompt(PromptOptions(scratchpad=False))
    assert SCRATCHPAD_OPEN not in no_scratchpad and OUTPUT_OPEN in no_scratchpad


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="setting"):
        PromptOptions(setting="nope")
    with pytest.raises(ValueError, match="minimal"):
        PromptOptions(setting="animal_welfare", variant="minimal")
    with pytest.raises(ValueError, match="tier"):
        user_message("Q", "enterprise", PromptOptions())
