"""Reading answers out of model text: numbers in GSM8K solutions, letters in multiple-choice replies.

GSM8K (Cobbe et al. 2021) writes a reference solution's final answer after `####`; models write it after
"The answer is", after "Answer:", or only as the last number of their text. Numbers are compared in one
canonical form: no thousands commas, no currency sign or unit, no trailing zeros after a decimal point
("1,200.50 dollars" -> "1200.5", "−3" -> "-3", "25%" -> "25").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

# a number as written in a solution: optional sign and currency sign, digits with thousands commas, decimals
NUMBER = re.compile(r"(?<![\w.])[-−]?(?:\$\s?)?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|(?<![\w.])[-−]?\$?\.\d+")
FINAL_MARKERS = (
    re.compile(r"####"),
    re.compile(r"answer\s+is\s*:?", re.IGNORECASE),
    re.compile(r"answer\s*:", re.IGNORECASE),
)
MARKER_REACH = 40  # the answer's number must follow its marker within this many characters, on the same line
# an explicit answer statement ("The answer is (B)", "Answer: **c**") and a reply that opens with a letter ("B. Jupiter")
STATED_LETTER = re.compile(r"\banswer(?:\s+is\s*:?|\s*[:\-])\s*(?P<mark>[*_(\[]*)\s*(?P<letter>[A-Ja-j])(?![\w'’])"
                           r"(?P<rest>[^\n]*)", re.IGNORECASE)
LEADING_LETTER = re.compile(r"^[\s*_]*(?P<mark>[(\[]?)[*_]*(?P<letter>[A-J])(?![\w'’])(?P<rest>[^\n]*)")
WORD_LETTERS = {"a", "i"}  # the article "a" and the pronoun "I": English words when a word follows them
# words that may follow a letter answer in a sentence ("The answer is A because ..."), never "a"/"I" as a word
AFTER_LETTER = {"because", "since", "as", "given", "which", "and", "but", "is", "was", "fits", "seems"}


def normalize_number(text: str) -> str | None:
    """The canonical form of the first number in `text`, or None where it holds none."""
    match = NUMBER.search(text.replace("−", "-"))
    if match is None:
        return None
    raw = re.sub(r"[\s$,]", "", match.group(0))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def numbers_in(text: str) -> list[str]:
    """Every number in `text`, canonical, in order."""
    found = []
    for match in NUMBER.finditer(text.replace("−", "-")):
        value = normalize_number(match.group(0))
        if value is not None:
            found.append(value)
    return found


def gsm8k_reference(answer_field: str) -> str:
    """The final answer of a GSM8K reference solution: the number after `####`."""
    if "####" not in answer_field:
        raise ValueError("a GSM8K answer field ends with '#### <number>'")
    value = normalize_number(answer_field.rsplit("####", 1)[1])
    if value is None:
        raise ValueError(f"no number after '####' in {answer_field[-40:]!r}")
    return value


def extract_final_answer(completion: str) -> str | None:
    """A solution's final answer: after the last `####`, "the answer is" or "Answer:", else its last number."""
    text = completion or ""
    for marker in FINAL_MARKERS:
        for match in reversed(list(marker.finditer(text))):
            value = normalize_number(text[match.end():match.end() + MARKER_REACH].split("\n")[0])
            if value is not None:
                return value
    found = numbers_in(text)
    return found[-1] if found else None


def same_number(a: str | None, b: str | None) -> bool:
    """Two canonical numbers are the same answer (None is never an answer)."""
    if a is None or b is None:
        return False
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def is_option_letter(letter: str, mark: str, rest: str, stated: bool) -> bool:
    """Whether a letter is an option and not an English word: an uppercase letter standing alone, or a letter in an
    answer statement; "a" and "I" followed by a word on their line are the article and the pronoun (uppercase after an
    answer statement only before a connective, "The answer is A because ...")."""
    if letter.lower() not in WORD_LETTERS or "(" in mark or "[" in mark:
        return True
    following = re.match(r"[ \t]+([A-Za-z][\w'’]*)", rest)
    if following is None:
        return True  # "A", "A.", "a)", "Answer: a" at the end of its line
    return stated and letter.isupper() and following.group(1).lower() in AFTER_LETTER


def extract_choice_letter(completion: str, letters: Sequence[str] = ("A", "B", "C", "D")) -> str | None:
    """The option letter a multiple-choice reply commits to ("The answer is (B)", "Answer: b", "B. ..."), the last
    answer statement winning, else a letter the reply opens with; None where it names none of `letters`. The article
    "a" and the pronoun "I" are not read as options ("A good way to ...", "Answer: a closer look ...")."""
    text = completion or ""
    for pattern, stated in ((STATED_LETTER, True), (LEADING_LETTER, False)):
        hits = [m.group("letter").upper() for m in pattern.finditer(text)
                if m.group("letter").upper() in letters
                and is_option_letter(m.group("letter"), m.group("mark"), m.group("rest"), stated)]
        if hits:
            return hits[-1]
    return None
