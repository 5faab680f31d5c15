"""Other ways to write the same SimpleQA answer, for the offline grader (Wei et al. 2024, §2: a reply is CORRECT when it
contains the gold's information; aliases, abbreviations, names in another language and equivalent values in other
units count). Tuned on `judge_sets/simpleqa_grader.dev.jsonl` only.

- names: the English and native names of places (exonyms) and a few older romanisations, as alias groups;
  transliteration variants by a spelling key (Tschaikowsky = Tchaikovsky, Dostoyevsky = Dostoevsky);
- abbreviations: acronyms of a name's content words (NASA, MIT, UNESCO), initials (J. R. R. Tolkien);
- numbers: number words ("two hundred and six", "ninety-three", "third"), thousands written with spaces,
  apostrophes or two or more dots (118 814, 21'196, 1.234.567);
- units: length, mass, area, volume, time, speed and temperature, converted to the gold's unit (the gold's own, else
  the one the question names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---------------------------------------------------------------- names

# Alias groups (raw text; the grader normalises them): English and native place names, former names, romanisations.
NAME_GROUPS: list[tuple[str, ...]] = [
    ("United States", "USA", "US", "U.S.", "U.S.A.", "United States of America", "America"),
    ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"), ("New York City", "NYC", "New York"),
    ("Soviet Union", "USSR", "U.S.S.R."), ("Netherlands", "Holland", "Nederland"), ("Czech Republic", "Czechia"),
    ("Myanmar", "Burma"), ("Germany", "Deutschland"), ("Spain", "España"), ("Japan", "Nippon", "Nihon"),
    ("Finland", "Suomi"), ("Sweden", "Sverige"), ("Norway", "Norge"), ("Austria", "Österreich"),
    ("Switzerland", "Schweiz", "Suisse", "Svizzera"), ("Greece", "Hellas", "Ellada"), ("Hungary", "Magyarország"),
    ("Poland", "Polska"), ("Croatia", "Hrvatska"), ("Ireland", "Éire", "Eire"), ("Sri Lanka", "Ceylon"),
    ("Thailand", "Siam"), ("Iran", "Persia"), ("Eswatini", "Swaziland"), ("Ivory Coast", "Côte d'Ivoire"),
    ("Munich", "München", "Muenchen"), ("Vienna", "Wien"), ("Florence", "Firenze"), ("Venice", "Venezia"),
    ("Rome", "Roma"), ("Milan", "Milano"), ("Naples", "Napoli"), ("Turin", "Torino"), ("Genoa", "Genova"),
    ("Cologne", "Köln", "Koeln"), ("Prague", "Praha"), ("Warsaw", "Warszawa"), ("Kraków", "Cracow", "Krakow"),
    ("Moscow", "Moskva"), ("Saint Petersburg", "Sankt-Peterburg", "Leningrad", "Petrograd"), ("Lisbon", "Lisboa"),
    ("Brussels", "Bruxelles", "Brussel"), ("The Hague", "Den Haag", "'s-Gravenhage"), ("Geneva", "Genève", "Genf"),
    ("Copenhagen", "København"), ("Athens", "Athina"), ("Belgrade", "Beograd"), ("Bucharest", "București"),
    ("Kyiv", "Kiev"), ("Beijing", "Peking", "Peiping"), ("Guangzhou", "Canton"), ("Nanjing", "Nanking"),
    ("Mumbai", "Bombay"), ("Chennai", "Madras"), ("Kolkata", "Calcutta"), ("Ho Chi Minh City", "Saigon"),
    ("Istanbul", "Constantinople"), ("Mao Zedong", "Mao Tse-tung"), ("Chiang Kai-shek", "Jiang Jieshi"),
    ("Deng Xiaoping", "Teng Hsiao-ping"), ("Sun Yat-sen", "Sun Zhongshan"),
]

# Short forms that stand for the same word.
ABBREVIATIONS = {"mt": "mount", "ft": "fort", "jr": "junior", "sr": "senior", "univ": "university", "co": "company",
                 "corp": "corporation", "intl": "international", "natl": "national", "assn": "association"}
CONNECTORS = {"and", "of", "for", "the", "de", "du", "des", "der", "la", "le", "und", "on", "in", "at"}
_TRANSLITERATION = [("tsch", "ch"), ("tch", "ch"), ("sch", "sh"), ("dzh", "j"), ("zh", "j"), ("kh", "h"),
                    ("gh", "g"), ("dh", "d"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("q", "k"), ("w", "v"),
                    ("y", "i"), ("j", "i"), ("ou", "u"), ("ts", "z")]


def transliteration_key(word: str) -> str:
    """A spelling key under which common romanisations of one name agree (Tschaikowsky, Tchaikovsky -> chaikovski)."""
    key = word.lower()
    for old, new in _TRANSLITERATION:
        key = key.replace(old, new)
    key = re.sub(r"(?<=[aeiou])i(?=[aeiou])", "", key)  # Dostoyevsky -> dostoievski -> dostoevski
    return re.sub(r"(.)\1+", r"\1", key)  # doubled letters: Gaddafi -> gadafi


def acronym(words: list[str]) -> str:
    """The initials of a name's content words (connectors skipped): 'national aeronautics and space administration'
    -> 'nasa'."""
    return "".join(word[0] for word in words if word not in CONNECTORS and word)


_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:[ ,]+(?:(?:and|of|for|the|de|&)\s+)*[A-Z][\w'’-]*)+")


def reply_acronyms(reply: str) -> set[str]:
    """Acronyms of each run of capitalised words in the reply (lower case, three letters or more)."""
    found = set()
    for run in _CAPITALISED_RUN.finditer(reply):
        words = [w.lower() for w in re.split(r"[\s,]+", run.group(0)) if w]
        for start in range(min(2, len(words))):  # the run, and the run without a sentence-initial word
            letters = acronym(words[start:])
            if len(letters) >= 3:
                found.add(letters)
    return found


# ---------------------------------------------------------------- numbers

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                  "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth").split()
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth".split()
SMALL = {w: i for i, w in enumerate(_UNITS)} | {w: 10 * (i + 2) for i, w in enumerate(_TENS)}
ORDINALS = {w: i for i, w in enumerate(_ORDINAL_UNITS)} | {w: 10 * (i + 2) for i, w in enumerate(_ORDINAL_TENS)}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def _year_pairs(run: list[str]) -> int | None:
    """A year read in two-digit pairs ("nineteen eighty nine" -> 1989, "twenty twenty" -> 2020), else None."""
    pairs: list[int] = []
    for word in run:
        if word not in SMALL:
            return None
        if pairs and pairs[-1] >= 20 and pairs[-1] % 10 == 0 and 0 < SMALL[word] < 10:
            pairs[-1] += SMALL[word]  # "eighty nine" -> 89
        else:
            pairs.append(SMALL[word])
    return pairs[0] * 100 + pairs[1] if len(pairs) == 2 and 10 <= pairs[0] <= 99 and 10 <= pairs[1] <= 99 else None


def words_to_digits(text: str, ordinals: bool = False) -> str:
    """Runs of number words in normalised text written as digits ("two hundred and six" -> "206"); ordinal words
    ("third", "twenty first") too when `ordinals`."""
    tokens, out, run = text.split(), [], []

    def flush() -> None:
        if run and _year_pairs(run) is not None:
            out.append(str(_year_pairs(run)))
            run.clear()
        if run:
            total, current = 0, 0
            for word in run:
                if word in SMALL or (ordinals and word in ORDINALS):
                    current += SMALL.get(word, ORDINALS.get(word, 0))
                elif word == "hundred":
                    current = max(current, 1) * 100
                elif word in SCALES:
                    total, current = total + max(current, 1) * SCALES[word], 0
            out.append(str(total + current))
            run.clear()

    for i, token in enumerate(tokens):
        number_word = token in SMALL or (ordinals and token in ORDINALS)
        joins = run and (token in ("hundred", *SCALES) or (token == "and" and i + 1 < len(tokens)
                                                           and tokens[i + 1] in SMALL))
        if number_word or joins:
            run.append(token)
            if ordinals and token in ORDINALS:
                flush()  # an ordinal ends its number
        else:
            flush()
            out.append(token)
    flush()
    return " ".join(out)


def join_digit_groups(text: str) -> str:
    """Thousands written with spaces, apostrophes or two or more dots, as plain digits: '118 814' -> '118814'."""
    text = re.sub(r"\b\d{1,3}(?:[ \u00a0\u202f'’]\d{3})+\b(?![.,]\d)",
                  lambda m: re.sub(r"[ \u00a0\u202f'’]", "", m.group(0)), text)
    return re.sub(r"\b\d{1,3}(?:\.\d{3}){2,}\b", lambda m: m.group(0).replace(".", ""), text)


# ---------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    dimension: str
    factor: float  # value in the dimension's base unit = value · factor + offset
    offset: float = 0.0


# unit names as they read in normalised text (lower case, no punctuation: "°C" -> "c", "km/h" -> "km h"), '|'-separated
_UNIT_TABLE: list[tuple[str, Unit]] = [
    ("m|metre|metres|meter|meters", Unit("length", 1.0)),
    ("km|kilometre|kilometres|kilometer|kilometers", Unit("length", 1e3)),
    ("cm|centimetre|centimetres|centimeter|centimeters", Unit("length", 1e-2)),
    ("mm|millimetre|millimetres|millimeter|millimeters", Unit("length", 1e-3)),
    ("mi|mile|miles", Unit("length", 1609.344)), ("ft|foot|feet", Unit("length", 0.3048)),
    ("inch|inches", Unit("length", 0.0254)), ("yd|yard|yards", Unit("length", 0.9144)),
    ("kg|kilogram|kilograms|kilogramme|kilogrammes|kilo|kilos", Unit("mass", 1.0)),
    ("g|gram|grams|gramme|grammes", Unit("mass", 1e-3)), ("t|tonne|tonnes|metric tons", Unit("mass", 1e3)),
    ("lb|lbs|pound|pounds", Unit("mass", 0.45359237)), ("oz|ounce|ounces", Unit("mass", 0.028349523125)),
    ("km2|sq km|square kilometre|square kilometres|square kilometer|square kilometers", Unit("area", 1e6)),
    ("mi2|sq mi|square mile|square miles", Unit("area", 2_589_988.110336)),
    ("m2|square metre|square metres|square meter|square meters", Unit("area", 1.0)),
    ("ha|hectare|hectares", Unit("area", 1e4)), ("acre|acres", Unit("area", 4046.8564224)),
    ("l|litre|litres|liter|liters", Unit("volume", 1.0)),
    ("ml|millilitre|millilitres|milliliter|milliliters", Unit("volume", 1e-3)),
    ("gallon|gallons", Unit("volume", 3.785411784)),
    ("s|sec|second|seconds", Unit("time", 1.0)), ("min|minute|minutes", Unit("time", 60.0)),
    ("h|hr|hour|hours", Unit("time", 3600.0)), ("day|days", Unit("time", 86400.0)),
    ("km h|kph|kmh|kilometres per hour|kilometers per hour", Unit("speed", 1 / 3.6)),
    ("mph|miles per hour", Unit("speed", 0.44704)), ("m s|metres per second|meters per second", Unit("speed", 1.0)),
    ("knot|knots", Unit("speed", 0.514444)),
    ("c|celsius|degrees celsius|degree celsius|degrees c", Unit("temperature", 1.0)),
    ("f|fahrenheit|degrees fahrenheit|degree fahrenheit|degrees f", Unit("temperature", 5 / 9, -160 / 9)),
    ("kelvin", Unit("temperature", 1.0, -273.15)),
]
UNITS: dict[str, Unit] = {name: unit for names, unit in _UNIT_TABLE for name in names.split("|")}
# names long enough to read as a unit in a question ("How high is it in feet?"); short symbols only after a number
QUESTION_UNITS = sorted((name for name in UNITS if len(name) >= 4 and not re.search(
    r"^(second|minute|hour|day|pound|kilo|foot|inch|t)s?$", name)), key=len, reverse=True)  # also ordinary words
_UNIT_PATTERN = "|".join(re.escape(name) for name in sorted(UNITS, key=len, reverse=True))
QUANTITY = re.compile(rf"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(thousand|million|billion)?\s*(?:degrees? )?({_UNIT_PATTERN})\b")
MULTIPLIERS = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


@dataclass(frozen=True)
class Quantity:
    value: float  # as written, multiplier applied
    half_unit: float  # half of the last written digit's place: the rounding the writer allowed
    unit: Unit
    span: tuple[int, int]


def half_unit(digits: str, multiplier: float = 1.0) -> float:
    """Half the place of a written number's last digit: '8849' -> 0.5, '26.2' -> 0.05; three or more trailing zeros
    read as rounding: '408000' -> 500."""
    if "." in digits:
        return 0.5 * 10 ** -len(digits.split(".")[1]) * multiplier
    stripped = digits.lstrip("-")
    zeros = len(stripped) - len(stripped.rstrip("0")) if stripped.strip("0") else 0
    return 0.5 * 10 ** (zeros if zeros >= 3 else 0) * multiplier  # '408,000' is rounded; '100' and '2,500' may not be


def find_quantities(text: str) -> list[Quantity]:
    """Every number followed by a unit in normalised text."""
    found = []
    for match in QUANTITY.finditer(text):
        digits, scale, name = match.groups()
        multiplier = MULTIPLIERS.get(scale or "", 1.0)
        found.append(Quantity(float(digits) * multiplier, half_unit(digits, multiplier), UNITS[name], match.span()))
    return found


def unit_named(question: str) -> Unit | None:
    """The unit a normalised question asks in ("in metres", "how many feet"), by its longer names only."""
    for name in QUESTION_UNITS:
        if re.search(rf"\b{re.escape(name)}\b", question):
            return UNITS[name]
    return None


def convert(value: float, source: Unit, target: Unit) -> float:
    """A value in `source` written in `target` (same dimension): through the dimension's base unit."""
    return (value * source.factor + source.offset - target.offset) / target.factor
