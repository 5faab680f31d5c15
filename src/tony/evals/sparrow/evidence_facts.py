"""Facts read out of a text for the offline evidence judge: quantities with units, dates and names.

A quantity is a value in SI units (metres, kilograms, seconds, m/s, °C, m², a count) with the precision it was
written to, so that "about 21,200 km", "roughly 13,170 miles" and "21,196 kilometres" are one length, "212 °F" is
100 °C, and "8 minutes and 20 seconds" is 500 s. A date keeps the day, month and year it names (a year alone, a
decade "1500s" or a century "15th century" as a span of years). Names are capitalised spans, folded to ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from difflib import SequenceMatcher
from typing import Any

# unit word -> (dimension, factor to SI); temperatures are converted apart (offsets)
UNITS: dict[str, tuple[str, float]] = {}
for _names, _dim, _factor in [
    ("km kms kilometre kilometres kilometer kilometers", "length", 1000.0),
    ("m metre metres meter meters", "length", 1.0), ("cm centimetre centimetres centimeter centimeters", "length", 0.01),
    ("mm millimetre millimetres millimeter millimeters", "length", 0.001), ("mi mile miles", "length", 1609.344),
    ("ft foot feet", "length", 0.3048), ("inch inches", "length", 0.0254), ("yard yards yd", "length", 0.9144),
    ("kg kgs kilogram kilograms kilo kilos", "mass", 1.0), ("g gram grams", "mass", 0.001),
    ("t tonne tonnes ton tons", "mass", 1000.0), ("lb lbs pound pounds", "mass", 0.45359237), ("oz ounce ounces", "mass", 0.0283495),
    ("s sec secs second seconds", "time", 1.0), ("min mins minute minutes", "time", 60.0), ("h hr hrs hour hours", "time", 3600.0),
    ("day days", "time", 86400.0), ("week weeks", "time", 604800.0), ("year years yr yrs", "time", 31557600.0),
    ("km/h kmh kph", "speed", 1 / 3.6), ("m/s", "speed", 1.0), ("km/s", "speed", 1000.0), ("mph", "speed", 0.44704),
    ("knot knots", "speed", 0.514444), ("km2 sq-km", "area", 1e6), ("mi2 sq-mi", "area", 2.589988e6),
    ("hectare hectares ha", "area", 1e4), ("acre acres", "area", 4046.856), ("% percent per-cent", "percent", 1.0)]:
    for _name in _names.split():
        UNITS[_name] = (_dim, _factor)
TEMPERATURE = {"c": "C", "celsius": "C", "centigrade": "C", "f": "F", "fahrenheit": "F", "k": "K", "kelvin": "K"}
PHRASES = [  # multi-word units, rewritten to one token before reading
    (r"(?:kilo)?met(?:re|er)s? per second", lambda m: "km/s" if m.group(0).startswith("kilo") else "m/s"),
    (r"kilomet(?:re|er)s? (?:per|an|a) hour", lambda m: "km/h"), (r"miles? (?:per|an|a) hour", lambda m: "mph"),
    (r"square (?:kilomet(?:re|er)s?|km)|sq\.? ?km", lambda m: "sq-km"), (r"square miles?|sq\.? ?mi", lambda m: "sq-mi"),
    (r"degrees? (celsius|centigrade|fahrenheit|c|f)\b", lambda m: m.group(1)), (r"per ?cent", lambda m: "percent"),
    (r"degrees? (?=\d)", lambda m: "")]
SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SMALL = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                                    "sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
MONTHS = {m: i + 1 for i, m in enumerate("january february march april may june july august september october november december".split())}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())} | {"sept": 9}
MONTHS |= {m: i + 1 for names in ("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
                                  "janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre",
                                  "januar februar marz april mai juni juli august september oktober november dezember")
           for i, m in enumerate(names.split()) if m not in ("mars", "mai", "mayo")}
HEDGES = r"(?:about|around|approximately|approx\.?|roughly|nearly|almost|some|circa|ca\.|c\.|~|over|under|more than|less than|just over|a little over|well over|up to|close to|just under|near|estimated)"
_NUMBER = r"\d[\d,]*(?:\.\d+)?|\.\d+"


@dataclass(frozen=True)
class Quantity:
    value: float  # in SI units (°C for temperatures)
    dimension: str  # length, mass, time, speed, area, percent, temperature, count
    tolerance: float  # how far another value may be and still be this one (half the written precision, or its place if hedged)
    start: int  # character offset in the normalised text
    upper: float | None = None  # the far end (in SI units) when this is the near end of a range "100 to 120 km/h"
    end: int = 0  # where the number ends in the normalised text


# The judge reads the same question, passage and clauses many times per item; these pure functions of a string
# are memoised (issue 22 item 4: under 1 ms an item). `scripts/verdict_fingerprint.py` shows the verdicts unchanged.
CACHE = 8192


@lru_cache(maxsize=4 * CACHE)
def fold(text: str) -> str:
    """Lower-case ASCII: accents dropped ("Reykjavík" -> "reykjavik")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def words_to_digits(text: str) -> str:
    """Number words as digits: "two hundred and six" -> "206", "eight" -> "8", "3.5 million" -> "3500000"."""
    pattern = "|".join([*SMALL, *TENS, "hundred", *SCALE])

    def convert(match: re.Match[str]) -> str:
        before = text[:match.start()].rstrip()
        if match.group(0)[0].isupper() and (re.search(r"[A-Z][\w']*$", before) or re.match(r"\s*[A-Z][a-z]", text[match.end():])):
            return match.group(0)
        total, current = 0.0, 0.0
        for word in re.findall(r"[a-z]+|\d[\d,]*(?:\.\d+)?", match.group(0).lower()):
            if word in SMALL or word in TENS:
                current += SMALL.get(word, TENS.get(word, 0))
            elif word[0].isdigit():
                current += float(word.replace(",", ""))
            elif word == "hundred":
                current = (current or 1) * 100
            elif word in SCALE:
                total, current = total + (current or 1) * SCALE[word], 0.0
        value = total + current
        return f"{value:.0f}" if value == int(value) else f"{value:g}"

    chain = rf"(?:(?:{pattern})(?:[\s-]+(?:and\s+)?(?:{pattern}))*|(?:{_NUMBER})(?:\s+(?:{'|'.join(SCALE)}))+)"
    return re.sub(rf"(?<![\w.,])(?:{chain})\b", convert, text, flags=re.I)


@lru_cache(maxsize=CACHE)
def normalise(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text or "").replace("°", " degrees ").replace("²", "2")
    out = words_to_digits(unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()).lower()
    for pattern, replace in PHRASES:
        out = re.sub(pattern, replace, out)
    return out


def _place(number: str, hedged: bool) -> float:
    """The place of the last significant digit: "8.3" -> 0.1; a whole number is exact ("100 °C" -> 1) unless
    hedged, when its trailing zeros are rounding ("about 21,200" -> 100)."""
    digits = number.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if hedged and stripped else 1.0


def _unit_at(text: str, end: int) -> tuple[str, float, str] | None:
    """(dimension, factor, temperature scale or "") of a unit word right after a number."""
    match = re.match(r"\s*(?:-\s*)?([a-z%/-]*[a-z%2])", text[end:])
    if not match:
        return None
    word = match.group(1).rstrip(".")
    if word in TEMPERATURE:
        return "temperature", 1.0, TEMPERATURE[word]
    if word in UNITS:
        return (*UNITS[word], "")
    return None


def _si(value: float, unit: tuple[str, float, str] | None) -> tuple[float, str]:
    if unit is None:
        return value, "count"
    dimension, factor, scale = unit
    if dimension == "temperature":
        return {"C": value, "F": (value - 32) * 5 / 9, "K": value - 273.15}[scale], dimension
    return value * factor, dimension


def quantities(text: str) -> list[Quantity]:
    """A fresh list of the memoised reading (`_quantities`), so that no caller can change the cache."""
    return list(_quantities(text or ""))


@lru_cache(maxsize=CACHE)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """Every number in `text` with its unit; a range "100 to 120 km/h" gives both ends the unit; a compound time
    "8 minutes and 20 seconds" also gives its sum. Numbers inside dates are left to `dates`."""
    norm = normalise(text)
    masked = _DATE_MASK.sub(lambda m: " " * len(m.group(0)), norm)
    found: list[Quantity] = []
    matches = list(re.finditer(rf"(?<![\w.])({_NUMBER})(?![\w])|(?<![\w.])({_NUMBER})(?=[a-z%])(?!st\b|nd\b|rd\b|th\b|s\b)", masked))
    units = [_unit_at(masked, m.end()) for m in matches]
    for index, match in enumerate(matches):
        unit, upper = units[index], None
        if index + 1 < len(matches) and re.fullmatch(r"\s*(?:-|to|and)\s*", masked[match.end():matches[index + 1].start()]) and \
                (units[index] is None or units[index] == units[index + 1]):
            unit = units[index + 1]  # the near end of a range takes the far end's unit
            far = matches[index + 1].group(1) or matches[index + 1].group(2)
            upper = _si(float(far.replace(",", "")), unit)[0]
        number = match.group(1) or match.group(2)
        value, dimension = _si(float(number.replace(",", "")), unit)
        hedged = bool(re.search(rf"(?:^|\W){HEDGES}\W*$", masked[max(0, match.start() - 16):match.start()]))
        raw = float(number.replace(",", ""))
        half = min(0.5 * _place(number, hedged), 0.05 * abs(raw)) if hedged else 0.5 * _place(number, hedged)
        tolerance = abs(_si(raw + half, unit)[0] - value)  # rounding, in SI units; 0.4% more for converted figures
        found.append(Quantity(value, dimension, tolerance + abs(value) * 0.004, match.start(), upper, match.end()))
    for fraction in re.finditer(r"\b(?:(?:a|one)[\s-]+)?(half)\b(?![\s-]+(?:an?|the)\b)|\b(?:a|one)[\s-]+(third|quarter|fifth|tenth)\b|\b(?:two|2)[\s-]+thirds\b|\bthree[\s-]+quarters\b", masked):
        value = {"half": 1 / 2, "third": 1 / 3, "quarter": 1 / 4, "fifth": 1 / 5, "tenth": 1 / 10}.get(fraction.group(1) or fraction.group(2) or "", 0.0) \
            or (2 / 3 if "third" in fraction.group(0) else 3 / 4)
        found.append(Quantity(value, "fraction", 0.01, fraction.start(), None, fraction.end()))
    for first, second in zip(found, found[1:]):
        between = masked[first.start:second.start]
        if first.dimension == second.dimension == "time" and re.fullmatch(r"[\d.,]+\s*[a-z]+\s*(?:,|and)?\s*", between):
            found.append(Quantity(first.value + second.value, "time", first.tolerance + second.tolerance, first.start))
    return tuple(found)


def matches(answer: Quantity, passage: list[Quantity]) -> bool:
    """Whether a quantity of the answer is one of the passage's, within the precision either was written to, or
    lies inside a range the passage gives ("around 110 km/h" for "100 to 120 km/h")."""
    if answer.dimension == "fraction":
        return any(q.dimension == "fraction" and abs(q.value - answer.value) <= q.tolerance for q in passage)
    same = [q for q in passage if answer.dimension in (q.dimension, "count") or q.dimension == "count"]
    if any(abs(answer.value - q.value) <= max(answer.tolerance, q.tolerance) for q in same):
        return True
    return any(q.upper is not None and q.value <= answer.value <= q.upper for q in same if q.dimension == answer.dimension)


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    rf"\b(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+|de\s+)?(?P<m1>{_M})\.?,?\s+(?:de\s+)?(?P<y1>\d{{3,4}})\b",
    rf"\b(?P<m2>{_M})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{3,4}})\b",
    rf"\b(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m3>{_M})\b",
    rf"\b(?P<m4>{_M})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?\b",
    rf"\b(?P<m5>{_M})\.?,?\s+(?:of\s+)?(?P<y5>\d{{4}})\b",
    r"\b(?P<y6>\d{4})-(?P<n6>\d{1,2})-(?P<e6>\d{1,2})\b",
    r"\b(?P<a7>\d{1,2})[/.](?P<b7>\d{1,2})[/.](?P<y7>\d{4})\b",
    r"\b(?P<y8>1\d{3}|20\d{2})s\b", r"\b(?P<c9>\d{1,2})(?:st|nd|rd|th)[- ]century\b", r"\b(?P<y10>1\d{3}|20\d{2})\b"]
_DATE_MASK = re.compile("|".join(f"(?:{p})" for p in _DATE_PATTERNS[:9]))
Date = tuple[Any, ...]  # day, month, (first year, last year)[, the other reading of a numeric date]


def dates(text: str) -> list[Date]:
    """A fresh list of the memoised reading (`_dates`), so that no caller can change the cache."""
    return list(_dates(text or ""))


@lru_cache(maxsize=CACHE)
def _dates(text: str) -> tuple[Date, ...]:
    """Every date named: (day, month, year span); a numeric date gives both day/month readings."""
    norm = normalise(text)
    found: list[Date] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in re.finditer(pattern, norm):
            if any(a <= match.start() < b for a, b in taken):
                continue
            taken.append(match.span())
            g = {k[0]: v for k, v in match.groupdict().items() if v is not None}
            if "c" in g:
                century = int(g["c"])
                found.append((None, None, ((century - 1) * 100, century * 100 - 1)))
            elif "a" in g:
                a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
                found.append((a, b, (y, y), (b, a, (y, y))))
            elif "n" in g:
                found.append((int(g["e"]), int(g["n"]), (int(g["y"]), int(g["y"]))))
            else:
                year = g.get("y")
                span = None if year is None else (int(year), int(year) + (9 if pattern.startswith(r"\b(?P<y8>") else 0))
                if pattern.startswith(r"\b(?P<y8>") and year.endswith("00"):
                    span = (int(year), int(year) + 99)  # "1500s": the century
                found.append((int(g["d"]) if "d" in g else None, MONTHS[g["m"]] if "m" in g else None, span))
    return tuple(found)


def date_backed(date: Date, passage: list[Date]) -> bool:
    """Every field the answer's date gives agrees with one date of the passage (a span: overlaps a passage year)."""
    if len(date) == 4:
        return date_backed(date[:3], passage) or date_backed(date[3], passage)
    day, month, span = date
    for p_day, p_month, p_span in (p[:3] for p in passage):
        if day is not None and day != p_day or month is not None and month != p_month:
            continue
        if span is not None and (p_span is None or span[1] < p_span[0] or span[0] > p_span[1]):
            continue
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------


def similar(a: str, b: str) -> bool:
    """The same name written another way: spelled nearly alike ("Rusia", "Russia", "Tanzanie", "Tanzania")."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 4 and SequenceMatcher(None, a, b).ratio() >= 0.8


def initials(text: str) -> set[str]:
    """Acronyms of capitalised runs ("Coordinated Universal Time" -> "cut", and "utc" for its letters in any order)."""
    out = set()
    for run in re.findall(r"(?:[A-Z][a-z]+\s+){1,5}[A-Z][a-z]+", text):
        letters = "".join(word[0] for word in run.split()).lower()
        out |= {letters, "".join(sorted(letters))}
    return out
