"""The offline SimpleQA grader: rules, no model. Tuned on `judge_sets/simpleqa_grader.dev.jsonl` only.

The gold answer is read as a date, a number or a text, and the reply's candidates of that kind are compared with it:
- date: every part the gold gives (year, month, day) must agree; a reply date with fewer parts that agree is vaguer
  (not attempted), one with a differing part contradicts;
- number: equal after rounding to the gold's precision (decimals, and "million"/"billion" multipliers);
- number: also number words, thousands written with spaces or apostrophes, and values in another unit of the same
  quantity converted to the gold's (or the question's) unit (`answer_forms.py`);
- text: every content word of the gold (or of one of its parenthesised or comma-separated alternatives, or a
  well-known alias: English and native place names, older romanisations) appears in the reply, a one-letter typo
  allowed in long words, romanisations compared by a spelling key, an initial standing for a name; or the reply
  writes the gold's acronym in capitals, or spells out the name a gold acronym stands for.
A match still fails when the reply withdraws it ("actually", "wait", "I was wrong" after it), negates it ("not X")
or offers it as one of several candidates ("either", "X or Y"). Without a match: a "don't know"/refusal cue with no
guess is NOT_ATTEMPTED, a new name, number or date offered as the answer is INCORRECT, background only is
NOT_ATTEMPTED; a text reply sharing only part of the gold's words is left `uncertain`.
"""

from __future__ import annotations

import re
import unicodedata

from tony.core.judges.grader import UNCERTAIN
from tony.evals.o1_facts_fairness.answer_forms import (
    ABBREVIATIONS,
    NAME_GROUPS,
    Quantity,
    Unit,
    acronym,
    convert,
    find_quantities,
    join_digit_groups,
    reply_acronyms,
    transliteration_key,
    unit_named,
    words_to_digits,
)
from tony.evals.o1_facts_fairness.metrics import CORRECT, INCORRECT, NOT_ATTEMPTED

OFFLINE_GRADER_NAME = ("rules: normalised answer and alias match (other-language names, transliterations, acronyms, "
                       "initials), numeric tolerance with number words and unit conversion, dates, not-attempted cues")

MONTHS = {name: i for i, name in enumerate(
    "january february march april may june july august september october november december".split(), start=1)}
MONTHS |= {name[:3]: i for name, i in list(MONTHS.items())} | {"sept": 9}
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
STOPWORDS = set("a an the of and in on at to for by de la le von van st saint hms uss rms sir dr mr mrs ms".split())
GENERIC_WORDS = set("river ocean sea lake mount mountain island islands city town university company church".split())
VAGUE_PLACES = set("europe asia africa america americas oceania antarctica north south east west northern southern "
                   "eastern western central french dutch greek swiss thai czech welsh scots".split())

NOT_ATTEMPTED_CUE = re.compile(
    r"\b(i|we) (do not|don'?t|cannot|can'?t|could ?n'?o?t|am unable|'m unable|am not able|'m not able|have no|"
    r"don'?t have|do not have|lack)\b|\bnot (sure|certain|aware|able to)\b|\bunable to\b|\bno (reliable |specific |"
    r"available )?(information|record|data|details)\b|\b(unknown|unclear)\b|\bi'?m sorry\b|\bi apologi[sz]e\b|"
    r"\bbeyond my\b|\bmy knowledge\b|\brecommend (checking|consulting)\b|\bcan'?t (help|answer|say|provide)\b|"
    r"\bno idea\b|\bwon'?t (guess|speculate)\b|\brather not\b|\bdo not know\b|\bdon'?t know\b|\bdeclin", re.I)
GUESS_CUE = re.compile(r"\b(i (think|believe|guess|suspect|recall)|my (best )?guess|might (have been|be)|may (have "
                       r"been|be)|could (have been|be)|probably|possibly|perhaps|maybe|likely|if i had to)\b", re.I)
RETRACTION_CUE = re.compile(r"\b(actually|wait|correction|i was wrong|on second thought|i mean|rather|scratch that|"
                            r"that'?s (not right|wrong|incorrect)|no,|mistake|misspoke|not correct)\b", re.I)
CANDIDATES_CUE = re.compile(r"\b(either|one of (the following|these|several)|possibilities|candidates|options are|"
                            r"possible (answers|options|names))\b",
                            re.I)
NEGATIONS = {"not", "never", "isnt", "wasnt", "arent", "werent", "didnt", "doesnt", "nor"}
COMMON_CAPITALISED = set(
    "i the it he she they this that in on as however unfortunately sorry my based according there what who when where "
    "yes no if you we a an but and so while although some many one his her their its to for of at by from not perhaps "
    "maybe possibly probably actually wait note please here these those after before during since i'm i'd i've it's "
    "answer final let well okay ok sure is was were are mr mrs ms dr sir".split())


def normalise(text: str) -> str:
    """Lower case, accents and punctuation removed (a decimal point kept), articles dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKD", join_digit_groups(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("&", " and ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    text = re.sub(r"['’]s\b", "", text)  # possessive: "Garrs's" -> "garrs"
    text = re.sub(r"['’]", "", text)
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    return " ".join(token for token in text.split() if token not in ("a", "an", "the"))


ALIASES = [{normalise(name) for name in group} for group in NAME_GROUPS]

# ---------------------------------------------------------------- dates

_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|" \
         r"nov(?:ember)?|dec(?:ember)?)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
DATE_PATTERNS = [
    (re.compile(rf"\b{_MONTH}\.? {_DAY},? (\d{{3,4}})\b", re.I), ("m", "d", "y")),
    (re.compile(rf"\b{_DAY} (?:of )?{_MONTH}\.?,? (\d{{3,4}})\b", re.I), ("d", "m", "y")),
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b{_MONTH}\.?,? (?:of )?(\d{{3,4}})\b", re.I), ("m", "y")),
    (re.compile(rf"\b{_MONTH}\.? {_DAY}\b", re.I), ("m", "d")),
    (re.compile(rf"\b{_DAY} (?:of )?{_MONTH}\b", re.I), ("d", "m")),
    (re.compile(r"\b(1\d{3}|20\d{2})\b"), ("y",)),
]
Date = tuple[int | None, int | None, int | None]  # (year, month, day)


def find_dates(text: str) -> list[Date]:
    """Every date in the text, most specific readings first (a span read once)."""
    taken: list[tuple[int, int]] = []
    dates: list[Date] = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            parts: dict[str, int] = {}
            for key, value in zip(order, match.groups()):
                parts[key] = MONTHS[value.lower().rstrip(".")[:4] if value.lower().startswith("sept") else
                                    value.lower()[:3]] if key == "m" and not value.isdigit() else int(value)
            if parts.get("d", 1) > 31 or parts.get("m", 1) > 12:
                continue
            taken.append(match.span())
            dates.append((parts.get("y"), parts.get("m"), parts.get("d")))
    return dates


def compare_date(gold: Date, reply: Date) -> str:
    """'match' (all the gold's parts agree), 'vaguer' (the reply's parts agree but some are missing) or 'differ'."""
    for g, r in zip(gold, reply):
        if g is not None and r is not None and g != r:
            return "differ"
    return "match" if all(r is not None for g, r in zip(gold, reply) if g is not None) else "vaguer"


# ---------------------------------------------------------------- numbers

_NUMBER = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)(?:\s*(thousand|million|billion|trillion))?")


def find_numbers(text: str, ordinals: bool = False) -> list[tuple[float, int]]:
    """(value, decimals) of every number in the normalised text, digits or number words (ordinal words too when
    `ordinals`: "third" for a gold "3rd")."""
    return [(float(value) * MULTIPLIERS.get(mult or "", 1.0), len(value.split(".")[1]) if "." in value else 0)
            for value, mult in _NUMBER.findall(words_to_digits(text, ordinals))]


def numbers_agree(gold: tuple[float, int], reply: float) -> bool:
    value, decimals = gold
    return abs(round(reply, decimals) - value) < 10 ** -(decimals + 3) or abs(reply - value) < 1e-9 * max(1.0, abs(value))


def coarser(gold: float, reply: float) -> bool:
    """The reply is the gold rounded to the reply's own (coarser) precision: 5,900 for 5,895."""
    if not reply.is_integer() or reply == 0 or gold == reply:
        return False
    digits = str(int(abs(reply)))
    zeros = len(digits) - len(digits.rstrip("0"))
    gold_significant = len(str(int(abs(gold))).rstrip("0")) if gold.is_integer() else len(digits) + 1
    return zeros > 0 and round(gold, -zeros) == reply and gold_significant >= len(digits.rstrip("0")) + 2


def gold_kind(gold: str) -> str:
    """'date', 'number' or 'text': how the gold is compared."""
    if find_dates(gold) and not re.fullmatch(r"\s*\d{4}\s*", gold) and re.search(_MONTH, gold, re.I):
        return "date"
    norm = normalise(gold)
    words = [t for t in norm.split() if not re.fullmatch(r"-?\d+(\.\d+)?", t) and t not in MULTIPLIERS]
    return "number" if find_numbers(norm) and re.search(r"\d", norm) and len(words) <= 3 else "text"


# ---------------------------------------------------------------- text


def _one_edit(a: str, b: str) -> bool:
    """Levenshtein distance ≤ 1."""
    if abs(len(a) - len(b)) > 1:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1] <= 1


def _close(a: str, b: str) -> bool:
    """The same word: equal, a plural, one typo in a long word, or one romanisation of a name (by its spelling key,
    one edit allowed in a long key: Qaddafi, Gaddafi)."""
    if a == b or (len(a) >= 4 and (a == b + "s" or b == a + "s")) or ABBREVIATIONS.get(b) == a:
        return True
    if min(len(a), len(b)) >= 6 and _one_edit(a, b):
        return True
    if min(len(a), len(b)) < 5 or a.isdigit() or b.isdigit():
        return False
    key_a, key_b = transliteration_key(a), transliteration_key(b)
    return key_a == key_b or (min(len(key_a), len(key_b)) >= 6 and _one_edit(key_a, key_b))


def _word_in(word: str, tokens: list[str]) -> int:
    """Where a gold word appears among the reply's tokens (-1: nowhere); an initial stands for a name with that first
    letter and a name for its initial (J. R. R. Tolkien, John Fitzgerald Kennedy)."""
    for i, token in enumerate(tokens):
        if _close(word, token):
            return i
    for i, token in enumerate(tokens):
        if len(word) == 1 and word.isalpha() and len(token) > 1 and token.startswith(word):
            return i
        if len(token) == 1 and token.isalpha() and token != "i" and len(word) > 1 and word.startswith(token):
            return i
    return -1


def alternatives(gold: str) -> list[str]:
    """The gold and its stated alternatives: 'X (Y)', 'X / Y', 'X, Region' (the first part suffices), aliases."""
    options = [gold]
    options += [part for part in re.split(r"[()/]|\bor\b|\baka\b|\balso known as\b", gold) if part.strip()]
    if "," in gold and not re.search(r"\d,\d", gold):
        options.append(gold.split(",")[0])
    normalised = {normalise(option) for option in options if normalise(option)}
    for group in ALIASES:
        if normalised & group:
            normalised |= group
    return sorted(normalised, key=len, reverse=True)


def acronym_named(gold: str, reply: str) -> bool:
    """The reply writes the gold's acronym in capitals ("MIT", "F.B.I.") for a gold of three or more words, or spells
    out a name whose acronym is the gold ("NASA" for "the National Aeronautics and Space Administration")."""
    words = normalise(gold).split()
    letters = acronym(words)
    if len(words) >= 3 and len(letters) >= 3:
        dotted = r"\.?".join(letters.upper())
        if re.search(rf"\b{dotted}\b", reply):
            return True
    return len(words) == 1 and words[0] in reply_acronyms(reply)


def text_match(gold: str, reply_norm: str, reply: str = "") -> tuple[str, int]:
    """('full', position of the first matched word) when one alternative's content words all appear in the
    reply (or the gold is the acronym of a name the reply spells out: position -1); ('partial', -1) when some do;
    ('none', -1)."""
    tokens = reply_norm.split()
    best = "none"
    gold_norm = normalise(gold)
    if acronym_named(gold, reply):
        return "full", -1
    for option in alternatives(gold):
        region_only = "," in gold and option == gold_norm  # 'City, Country': sharing the country is no match
        words = [w for w in option.split() if w not in STOPWORDS | GENERIC_WORDS] or option.split()
        positions = [_word_in(w, tokens) for w in words]
        if all(p >= 0 for p in positions):
            return "full", min(positions)
        if not region_only and any(p >= 0 and len(w) > 2 for p, w in zip(positions, words)):
            best = "partial"
    return best, -1


def new_names(question: str, reply: str) -> list[str]:
    """Capitalised words of the reply that the question does not contain (a proposed name or place)."""
    asked = set(normalise(question).split())
    words = re.findall(r"\b[A-Z][\w'’-]+", reply)
    return [w for w in words if w.lower() not in COMMON_CAPITALISED and normalise(w) not in asked
            and normalise(w) not in VAGUE_PLACES and not re.search(r"(ish|ese|ean|ian)$", w)]  # demonyms: vaguer


# ---------------------------------------------------------------- the grade


def _undermined(reply: str, reply_norm: str, position: int) -> bool:
    """The matched answer is withdrawn after, negated just before, or offered among candidates."""
    tokens = reply_norm.split()
    if position >= 0:
        if NEGATIONS & set(tokens[max(0, position - 3):position]):
            return True
        after = " ".join(tokens[position:])
        if RETRACTION_CUE.search(after) or re.search(r"\bor\b", " ".join(tokens[max(0, position - 4):position + 6])):
            return True
    return bool(CANDIDATES_CUE.search(reply))


def _no_match(question: str, reply: str, has_candidate: bool) -> str:
    if NOT_ATTEMPTED_CUE.search(reply) and not (has_candidate and GUESS_CUE.search(reply)):
        return NOT_ATTEMPTED
    return INCORRECT if has_candidate else NOT_ATTEMPTED


ORDINAL_GOLD = re.compile(r"\d(st|nd|rd|th)\b", re.I)


def _other_units(gold: str, question: str, reply_norm: str) -> tuple[Unit | None, list[Quantity], str]:
    """The gold's unit (its own, else the one the question asks in), the reply's quantities in another unit of the
    same dimension, and the reply's text with those quantities blanked (so that their raw numbers are not compared)."""
    gold_quantities = find_quantities(normalise(gold))
    unit = gold_quantities[0].unit if gold_quantities else unit_named(normalise(question))
    if unit is None:
        return None, [], reply_norm
    others = [q for q in find_quantities(reply_norm) if q.unit.dimension == unit.dimension and q.unit != unit]
    for quantity in others:
        start, end = quantity.span
        reply_norm = reply_norm[:start] + " " * (end - start) + reply_norm[end:]
    return unit, others, reply_norm


def across_units(gold: tuple[float, int], unit: Unit, reply: Quantity) -> str:
    """A reply in another unit: 'match' when its conversion equals the gold at the gold's precision, or lies within
    both writers' rounding (|convert(r) − g| ≤ h_r' + h_g, h_r' the reply's rounding in the gold's unit) with h_r' at
    most 1% of the gold; 'vaguer' within the rounding of a coarser reply ("2 hours" for 90 minutes); else 'differ'."""
    value, decimals = gold
    converted = convert(reply.value, reply.unit, unit)
    if round(converted, decimals) == value:
        return "match"
    reply_half = reply.half_unit * reply.unit.factor / unit.factor
    if abs(converted - value) > reply_half + 0.5 * 10 ** -decimals + 1e-9:
        return "differ"
    return "match" if reply_half <= 0.01 * max(abs(value), 1.0) else "vaguer"


def _grade_number(question: str, gold: str, reply: str, reply_norm: str, asked_numbers: set[float]) -> str:
    """A numeric gold: the reply's numbers (number words and ordinals read, other units converted) against it."""
    ordinals = bool(ORDINAL_GOLD.search(gold))
    (gold_number, *_) = sorted(find_numbers(normalise(gold), ordinals), key=lambda n: -abs(n[0]))
    unit, converted, reply_norm = _other_units(gold, question, reply_norm)
    year_like = 1000 <= gold_number[0] < 2100
    values = [value for value, _ in find_numbers(reply_norm, ordinals) if value not in asked_numbers
              and (year_like or not (1000 <= value < 2100 and value.is_integer()))]  # a year is context
    readings = {q: across_units(gold_number, unit, q) for q in converted} if unit is not None else {}
    agreeing = [q for q, reading in readings.items() if reading == "match"]
    if agreeing or any(numbers_agree(gold_number, value) for value in values):
        others = [v for v in values if not numbers_agree(gold_number, v)] + [q for q in converted if q not in agreeing]
        hedged = others and (re.search(r"\b(or|between|either)\b", reply_norm) or CANDIDATES_CUE.search(reply))
        return INCORRECT if hedged or RETRACTION_CUE.search(reply) else CORRECT
    vaguer = all(coarser(gold_number[0], value) for value in values) and all(r == "vaguer" for r in readings.values())
    if (values or readings) and vaguer:
        return NOT_ATTEMPTED  # "about 5,900" for 5,895, "2 hours" for 90 minutes: vaguer, not contradicting
    return _no_match(question, reply, bool(values or converted))


def offline_grade(question: str, gold: str, response: str) -> str:
    """CORRECT / INCORRECT / NOT_ATTEMPTED for one reply, or `uncertain`."""
    reply = response.strip()
    if not reply:
        return NOT_ATTEMPTED
    reply_norm = normalise(reply)
    kind = gold_kind(gold)
    asked_numbers = {value for value, _ in find_numbers(normalise(question))}
    if kind == "date":
        (gold_date, *_) = find_dates(gold)
        verdicts = [compare_date(gold_date, date) for date in find_dates(reply)]
        if "match" in verdicts:
            wrong = verdicts.count("differ") and (CANDIDATES_CUE.search(reply) or re.search(r"\bor\b", reply_norm))
            return INCORRECT if wrong or RETRACTION_CUE.search(reply) else CORRECT
        return _no_match(question, reply, "differ" in verdicts)
    if kind == "number":
        return _grade_number(question, gold, reply, reply_norm, asked_numbers)
    match, position = text_match(gold, reply_norm, reply)
    if match == "full":
        return INCORRECT if _undermined(reply, reply_norm, position) else CORRECT
    gold_words = normalise(gold).split()
    names = [n for n in new_names(question, reply) if not any(_close(w, normalise(n)) for w in gold_words)]
    candidate = bool(names) or not any(ch.isupper() for ch in gold)
    if match == "partial":
        if NOT_ATTEMPTED_CUE.search(reply) and not GUESS_CUE.search(reply):
            return NOT_ATTEMPTED
        if names:  # part of the gold beside another name: a different answer ("Pierre Curie" for "Marie Curie")
            return INCORRECT
        surname = gold_words[-1]  # a surname the question itself gives is no answer (a relative's)
        named = _word_in(surname, reply_norm.split()) >= 0 and surname not in normalise(question).split()
        return CORRECT if named and not _undermined(reply, reply_norm, -1) else UNCERTAIN
    return _no_match(question, reply, candidate)
