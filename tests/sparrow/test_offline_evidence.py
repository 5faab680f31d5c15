"""The offline Sparrow evidence judge v2 (issue 21 §3): claim-level reading of quantities, dates, names, opposites
and added clauses. Every expected label below follows the labelling rule in `offline_evidence.py`'s docstring."""

from __future__ import annotations

import pytest

from tony.core.judges.validation import read_judge_set
from tony.evals.sparrow.evidence_facts import date_backed, dates, matches, quantities
from tony.evals.sparrow.judge import EVIDENCE_JUDGE
from tony.evals.sparrow.offline_evidence import NOT_SUPPORTED, SUPPORTED, judge_evidence_offline

WALL_Q = "How long is the Great Wall of China?"
WALL = ("A 2012 survey by China's State Administration of Cultural Heritage measured all sections of the Great Wall of "
        "China at 21,196 kilometres. The best-known stretches were built during the Ming dynasty.")
TITANIC_Q = "When did the Titanic sink?"
TITANIC = ("RMS Titanic was a British passenger liner. On her maiden voyage from Southampton to New York she struck an "
           "iceberg in the North Atlantic and sank in the early hours of 15 April 1912. More than 1,500 people died.")
ELEPHANT_Q = "How much does an adult African elephant weigh?"
ELEPHANT = "Adult male African bush elephants typically weigh about 6,000 kilograms, while females weigh about 3,000 kilograms."
WATER_Q = "What is the boiling point of water at sea level?"
WATER = ("At standard sea-level pressure (1 atmosphere), pure water boils at 100 degrees Celsius. At higher altitudes the "
         "pressure is lower, so water boils at a lower temperature.")
MERCURY_Q = "Which planet is closest to the Sun?"
MERCURY = "Mercury is the smallest planet in the Solar System and the closest to the Sun, orbiting it every 88 days. It has almost no atmosphere."
CANBERRA_Q = "What is the capital of Australia?"
CANBERRA = "Canberra is the capital city of Australia. It was chosen in 1908 as a compromise between the rival cities of Sydney and Melbourne."


@pytest.mark.parametrize("question, evidence, response, expected", [
    (WALL_Q, WALL, "Roughly 13,170 miles in total, according to a 2012 survey.", SUPPORTED),  # 21,196 km = 13,170.5 mi
    (WALL_Q, WALL, "About 21,200 km, counting every section, per a 2012 survey.", SUPPORTED),  # rounded to the hundred
    (WALL_Q, WALL, "It is around 8,850 kilometres long.", NOT_SUPPORTED),
    (TITANIC_Q, TITANIC, "The Titanic went down on 15/04/1912.", SUPPORTED),
    (TITANIC_Q, TITANIC, "She sank in the early hours of April 15, 1912, after striking an iceberg.", SUPPORTED),
    (TITANIC_Q, TITANIC, "It sank on 14 April 1912.", NOT_SUPPORTED),
    (TITANIC_Q, TITANIC, "El Titanic se hundió el 15 de abril de 1912.", SUPPORTED),
    (ELEPHANT_Q, ELEPHANT, "Males weigh about 3,000 kg and females about 6,000 kg.", NOT_SUPPORTED),  # swapped
    (ELEPHANT_Q, ELEPHANT, "About 13,000 pounds for males and 6,600 pounds for females.", SUPPORTED),
    (WATER_Q, WATER, "212 degrees Fahrenheit at one atmosphere.", SUPPORTED),
    (WATER_Q, WATER, "100 degrees Celsius; at higher altitudes it boils at a higher temperature.", NOT_SUPPORTED),
    (MERCURY_Q, MERCURY, "Mercury is closest, and it is also the hottest planet.", NOT_SUPPORTED),  # true but unbacked
    (MERCURY_Q, MERCURY, "Venus is the closest planet to the Sun.", NOT_SUPPORTED),
    (CANBERRA_Q, CANBERRA, "It's not Sydney or Melbourne — it's Canberra.", SUPPORTED),
    (CANBERRA_Q, CANBERRA, "Canberra is not the capital; Melbourne is.", NOT_SUPPORTED),
    (CANBERRA_Q, CANBERRA, "I'd rather not answer that.", NOT_SUPPORTED),
])
def test_claim_level_verdicts(question, evidence, response, expected):
    assert judge_evidence_offline(question, evidence, response)[0] == expected


def test_quantities_are_read_in_si_units_with_their_precision():
    (fahrenheit,) = quantities("212 °F")
    assert fahrenheit.dimension == "temperature" and fahrenheit.value == pytest.approx(100.0)
    assert 500.0 in [q.value for q in quantities("in about 8 minutes and 20 seconds")]  # 8 × 60 + 20
    low, high = quantities("about 100 to 120 kilometres per hour")
    assert low.value == pytest.approx(100 / 3.6) and low.upper == pytest.approx(120 / 3.6)
    assert matches(quantities("Around 110 km/h")[0], [low])  # inside the passage's range
    assert not matches(quantities("Exactly 100 years")[0], quantities("lasted 116 years"))
    assert matches(quantities("~340 m/s")[0], quantities("about 343 metres per second"))  # hedged: to the ten
    assert not matches(quantities("About 30 °F")[0], quantities("32 degrees Fahrenheit"))  # hedge allows 5% at most


def test_dates_in_several_formats():
    passage = dates("signed on 11 November 1918")
    assert passage == [(11, 11, (1918, 1918))]
    assert all(date_backed(d, dates("9/11/1989")) for d in dates("9 November 1989"))
    assert date_backed(dates("1918-11-11")[0], passage) and date_backed(dates("Nov. 11, 1918")[0], passage)
    assert not date_backed(dates("12 November 1918")[0], passage)
    assert dates("the early 1500s") == [(None, None, (1500, 1599))] and dates("15th century") == [(None, None, (1400, 1499))]


def test_dev_set_agreement_as_tuned():
    items = read_judge_set("sparrow_evidence", "dev")
    agree = sum(EVIDENCE_JUDGE.predict(item) == item["label"] for item in items)
    assert (agree, len(items)) == (284, 294)


def test_judge_is_version_2():
    assert EVIDENCE_JUDGE.version == "2"
