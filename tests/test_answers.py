"""Answer extraction (GSM8K `####`, commas, units, negatives, decimals) and letters of multiple-choice replies."""

import pytest

from tony.core.answers import (
    extract_choice_letter,
    extract_final_answer,
    gsm8k_reference,
    normalize_number,
    numbers_in,
    same_number,
)


@pytest.mark.parametrize("text, expected", [
    ("She pays 3 * 4 = 12 dollars.\n#### 1,234", "1234"),
    ("Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 72", "72"),
    ("The answer is $1,200.50 dollars.", "1200.5"),
    ("The answer is −3 degrees.", "-3"),
    ("Answer: -15", "-15"),
    ("The answer is 25%.", "25"),
    ("So the total is 40 apples, then 12 more, 52 apples", "52"),  # no marker: the last number
    ("The answer is 3.0", "3"),
    ("The answer is 0.50 kg", "0.5"),
    ("I have no idea.", None),
])
def test_final_answer(text, expected):
    assert extract_final_answer(text) == expected


def test_the_last_marker_wins_and_markers_beat_later_numbers():
    assert extract_final_answer("The answer is 5. No wait, the answer is 7. Check: 7 + 0 = 7") == "7"
    assert extract_final_answer("#### 10\nThat took 3 steps.") == "10"


def test_gsm8k_reference_reads_after_the_marker():
    assert gsm8k_reference("48 / 2 = 24\n#### 72") == "72"
    assert gsm8k_reference("...\n#### -1,000") == "-1000"
    with pytest.raises(ValueError):
        gsm8k_reference("no marker 5")


def test_subtraction_is_not_a_negative_number():
    assert numbers_in("36 - 5 = 31 and 36-5=31, then -7") == ["36", "5", "31", "36", "5", "31", "-7"]
    assert normalize_number("$ 4.50") == "4.5"


def test_same_number():
    assert same_number("5", "5.0") and not same_number("5", "6") and not same_number(None, "5")


@pytest.mark.parametrize("reply, expected", [
    ("The answer is (C).", "C"), ("B. Jupiter", "B"), ("Answer: d", "D"), ("A", "A"),
    ("I first thought (A) but the answer is B", "B"), ("None of these", None), ("Answer: E", None),
])
def test_choice_letter(reply, expected):
    assert extract_choice_letter(reply) == expected


@pytest.mark.parametrize("reply, expected", [
    # the article "a" and the pronoun "I" are words, not options (issue 20 item 4)
    ("A good way to start is to compare the options one by one", None),  # a chain cut before its answer
    ("Answer: a closer look shows that the second option fits", None),
    ("The answer is a matter of reading the passage", None),
    ("I think the second one fits better", None),
    ("Answer: I am not certain", None),
    ("A good way to check: the answer is (C).", "C"),  # the article first, the real answer after
    ("A bit of algebra gives 12. Answer: B", "B"),
    # an uppercase standalone letter, or a letter in an answer statement that is not a word, still reads
    ("A", "A"), ("A.", "A"), ("(A) Mercury", "A"), ("**A.** Mercury", "A"), ("A\nBecause the orbit is shortest.", "A"),
    ("The answer is A because the orbit is shortest.", "A"), ("Answer: a)", "A"), ("The answer is a.", "A"),
    ("answer: (a) Mercury", "A"), ("Answer: b because it is largest", "B"), ("The answer is: **D**", "D"),
    ("Answer: c", "C"),
])
def test_choice_letter_does_not_read_english_words_as_options(reply, expected):
    assert extract_choice_letter(reply) == expected
