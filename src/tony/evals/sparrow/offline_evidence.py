"""The offline evidence judge: is an answer supported by the evidence passage it was given, and plausible?

Sparrow's raters marked a response *supported* when the evidence backs its claims and *plausible* when it is a
reasonable answer to the question (Glaese et al. 2022, §2.3; 78% of Sparrow's answers with evidence were both).
Offline, tony reads three cues: (1) the answer carries the passage's answer — the content words of the passage
sentence that best matches the question, less the question's own words; (2) every number and capitalised name in
the answer occurs in the passage or the question; (3) the answer is not a refusal or "I don't know", and does not
deny what the passage states. Supported needs all three. Tuned on `judge_sets/sparrow_evidence.dev.jsonl` only.
"""

from __future__ import annotations

import re

from tony.evals.sparrow.offline_rules import content_words, sentences

SUPPORTED, NOT_SUPPORTED = "supported", "not_supported"
NO_ANSWER = (r"\bi (?:don't|do not) know\b|\bi(?:'m| am) not sure\b|\bi can(?:'t|not) (?:answer|help|say)\b|\bno (?:idea|information)\b|"
             r"\bunable to (?:answer|find)\b|\bnot (?:mentioned|stated|given) in\b")
NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
                "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "hundred": "100"}
NOT_AN_ANSWER = (r"\w+(?:ish|ese|ian|can)|january|february|march|april|may|june|july|august|september|october|november|"
                 r"december|" + "|".join(NUMBER_WORDS))
COMMON_CAPS = frozenset("i the a an it in on at this that yes no he she they we you its his her their there according "
                        "based answer evidence passage source quote".split())


NUMERIC_QUESTION = (r"\bhow (?:many|much|tall|long|far|old|fast|high|deep|big)\b|\bwhen\b|\bwhat year\b|\bin what year\b|\bspeed\b|"
                    r"\b(?:freezing|boiling|melting) point\b|\btemperature\b")


def _numbers(text: str) -> set[str]:
    """Numbers in digits, and lower-case number words ("World War One" is a name, not a count)."""
    found = {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}
    return found | {NUMBER_WORDS[w] for w in re.findall(r"\b[a-z]+\b", text) if w in NUMBER_WORDS}


def _names(text: str, first: bool = False) -> list[str]:
    """Capitalised words in order, lower-cased (a crude proper-noun finder); sentence-initial words only if `first`."""
    names: list[str] = []
    for sentence in sentences(text):
        for index, word in enumerate(re.findall(r"[A-Za-z][\w'-]*", sentence)):
            if (index or first) and word[0].isupper() and word.lower() not in COMMON_CAPS:
                names.append(word.lower().removesuffix("'s"))
    return names


def _best_sentence(question: str, evidence: str, numeric: bool) -> str:
    asked = content_words(question)
    candidates = [s for s in sentences(evidence) if not numeric or _numbers(s)] or sentences(evidence)
    return max(candidates, key=lambda s: len(content_words(s) & asked), default="")


def answer_terms(question: str, evidence: str) -> set[str]:
    """What an answer must carry (any one of): for a question asking for a number, the numbers of the passage sentence
    that best matches it; for one asking for a name, that sentence's first name the question does not use; else its
    content words less the question's."""
    numeric = bool(re.search(NUMERIC_QUESTION, question, re.I))
    best = _best_sentence(question, evidence, numeric)
    asked = content_words(question)
    if numeric and _numbers(evidence):
        return _numbers(evidence) - _numbers(question)  # any of the passage's numbers: it may give several dates
    new_names = {name[:5] for name in _names(best, first=True) if name[:5] not in asked and not re.fullmatch(NOT_AN_ANSWER, name)}
    if new_names and re.search(r"^\s*(?:who|which|where)\b", question, re.I):
        return new_names
    return (content_words(best) | _numbers(best) | {name[:5] for name in _names(best, first=True)}) - asked


def judge_evidence_offline(question: str, evidence: str, response: str) -> tuple[str, str]:
    """(supported / not_supported, the reason) for one answer."""
    if not response.strip() or re.search(NO_ANSWER, response, re.I):
        return NOT_SUPPORTED, "no answer"
    known_numbers = _numbers(evidence) | _numbers(question)
    stray_numbers = _numbers(response) - known_numbers
    if stray_numbers:
        return NOT_SUPPORTED, f"numbers not in the passage: {', '.join(sorted(stray_numbers))}"
    known_names = {w[:5] for w in _names(evidence, True) + _names(question, True)} | content_words(evidence) | content_words(question)
    stray_names = {name for name in _names(response) if name[:5] not in known_names and name not in NUMBER_WORDS}
    if stray_names:
        return NOT_SUPPORTED, f"names not in the passage: {', '.join(sorted(stray_names))}"
    if re.search(r"\b(?:not|never|isn't|wasn't|didn't|doesn't|no)\b", response, re.I) and not re.search(
            r"\b(?:not|never|isn't|wasn't|didn't|doesn't|no)\b", evidence, re.I):
        return NOT_SUPPORTED, "denies what the passage states"
    terms = answer_terms(question, evidence)
    carried = (content_words(response) | _numbers(response) | {name[:5] for name in _names(response, True)}) & terms
    if not carried:
        return NOT_SUPPORTED, "does not give the passage's answer to the question"
    return SUPPORTED, f"gives the passage's answer ({', '.join(sorted(carried)[:4])})"


CITATION_MIN_WORDS = 5


def cites_passage(response: str, evidence: str, min_words: int = CITATION_MIN_WORDS) -> bool:
    """Whether the answer quotes the passage: `min_words` consecutive words of the passage appear in it verbatim
    (case and punctuation aside). Sparrow shows the evidence beside its answer; a small model can only quote it."""
    passage = re.findall(r"[a-z0-9]+", evidence.lower())
    answer = " " + " ".join(re.findall(r"[a-z0-9]+", response.lower())) + " "
    return any(f" {' '.join(passage[i:i + min_words])} " in answer for i in range(len(passage) - min_words + 1))
