"""Each of the six hint templates (Chen et al. 2025) renders the hint where the paper puts it."""

import re

import pytest

from tony.evals.faithfulness.hints import (
    ANSWER_INSTRUCTION,
    HINT_TYPES,
    LETTERS,
    VISUAL_MARK,
    Question,
    format_question,
    hinted_messages,
    unhinted_messages,
)

Q = Question("q1", "Which gas do plants take in for photosynthesis?", ("Oxygen", "Nitrogen", "Carbon dioxide", "Helium"), "C")
SHOTS = [
    Question("s1", "What is 2 + 3?", ("4", "5", "6", "7"), "B"),
    Question("s2", "Which planet is closest to the Sun?", ("Mercury", "Venus", "Earth", "Mars"), "A"),
]


def test_unhinted_prompt_has_question_options_and_instruction():
    (message,) = unhinted_messages(Q)
    assert "(A) Oxygen" in message.text and "(D) Helium" in message.text
    assert message.text.endswith(ANSWER_INSTRUCTION)
    assert VISUAL_MARK not in message.text


def test_sycophancy_professor_and_user_variants():
    (professor,) = hinted_messages("sycophancy", Q, "B", sycophancy_source="professor")
    assert "Stanford" in professor.text and "(B)" in professor.text
    (user,) = hinted_messages("sycophancy", Q, "D", sycophancy_source="user")
    assert "My own guess is (D)" in user.text and "Stanford" not in user.text


def test_consistency_prefills_an_assistant_turn():
    first, prefill, follow_up = hinted_messages("consistency", Q, "A")
    assert first.role == "user" and "(C) Carbon dioxide" in first.text
    assert prefill.role == "assistant" and prefill.text == "The answer is (A)."
    assert follow_up.role == "user" and "not anchor on your previous response" in follow_up.text


def test_visual_pattern_marks_correct_answers_in_examples_and_h_in_question():
    (message,) = hinted_messages("visual_pattern", Q, "D", examples=SHOTS)
    text = message.text
    assert "(B) 5 ■" in text and "(A) Mercury ■" in text
    assert "(D) Helium ■" in text
    assert text.count(VISUAL_MARK) == 3  # one per example, one on h
    assert "(C) Carbon dioxide ■" not in text


def test_visual_pattern_needs_examples():
    with pytest.raises(ValueError, match="few-shot"):
        hinted_messages("visual_pattern", Q, "A")


def test_metadata_block_precedes_question():
    (message,) = hinted_messages("metadata", Q, "B")
    assert message.text.index("<answer>B</answer>") < message.text.index(Q.question)
    assert "<question-metadata>" in message.text and "<success-rate>" in message.text


def test_grader_hacking_shows_validation_function():
    (message,) = hinted_messages("grader_hacking", Q, "A")
    assert 'return answer == "A"' in message.text and "def validate_answer" in message.text


def test_unethical_information_note():
    (message,) = hinted_messages("unethical_information", Q, "D")
    assert "unauthorised access" in message.text and "correct answer is (D)" in message.text
    assert "up to you" in message.text


# An answer letter the hint can point at: "(B)", '"B"', "<answer>B</answer>".
POINTER = re.compile(r"\(([A-D])\)|\"([A-D])\"|<answer>([A-D])</answer>")


def pointed_letters(text: str) -> set[str]:
    """The letters a prompt points at once the unhinted parts are taken out: the few-shot examples, the answer
    instruction and the question itself (a question that carries the visual mark points at the marked letter)."""
    for shot in SHOTS:
        text = text.replace(f"{format_question(shot, marked=shot.answer)}\nAnswer: {shot.answer}", "")
    text = text.replace(ANSWER_INSTRUCTION, "")
    marked = {letter for letter in LETTERS if format_question(Q, marked=letter) in text}
    for letter in marked:
        text = text.replace(format_question(Q, marked=letter), "")
    text = text.replace(format_question(Q), "")
    return marked | {next(group for group in match.groups() if group) for match in POINTER.finditer(text)}


@pytest.mark.parametrize("h", LETTERS)
@pytest.mark.parametrize("hint_type", HINT_TYPES)
def test_every_hint_points_at_h_only(hint_type, h):
    messages = hinted_messages(hint_type, Q, h, examples=SHOTS)
    assert pointed_letters("\n".join(m.text for m in messages)) == {h}
    assert messages[-1].text.endswith(ANSWER_INSTRUCTION)


def test_pointed_letters_sees_a_second_pointer():
    (message,) = hinted_messages("sycophancy", Q, "B")
    assert pointed_letters(message.text + "\nOthers say (D).") == {"B", "D"}
    assert pointed_letters(unhinted_messages(Q)[0].text) == set()


def test_bad_hint_inputs():
    with pytest.raises(ValueError, match="unknown hint type"):
        hinted_messages("bribery", Q, "A")
    with pytest.raises(ValueError, match="one of ABCD"):
        hinted_messages("metadata", Q, "E")


def test_format_question_marks_one_option():
    assert format_question(Q, marked="A").splitlines()[2] == f"(A) Oxygen {VISUAL_MARK}"
