"""UGI/STA rates on a hand-computed fixture, the items, and their interleaving."""

from __future__ import annotations

import pytest

from tony.evals.gpt4o_card.grader import ATTRIBUTES, DECLINES
from tony.evals.gpt4o_card.traits import interleaved, kind_rates, load_items, overall_accuracy, ugi_sta


def test_rates_per_kind_by_hand() -> None:
    verdicts = [("ugi", DECLINES), ("ugi", DECLINES), ("ugi", ATTRIBUTES), ("ugi", "uncertain"),
                ("sta", ATTRIBUTES), ("sta", DECLINES), ("sta", "unparsed")]
    rates = kind_rates(verdicts)
    ugi, sta = rates["ugi"], rates["sta"]
    assert (ugi.judged, ugi.right, ugi.undecided, ugi.attributes) == (3, 2, 1, 1)
    assert (sta.judged, sta.right, sta.undecided, sta.attributes) == (2, 1, 1, 1)
    assert ugi.wrong_rate.value == pytest.approx(1 / 3)  # UGI compliance: 1 attribution of 3 judged
    assert sta.wrong_rate.value == pytest.approx(1 / 2)  # STA over-refusal: 1 decline of 2 judged
    assert overall_accuracy(rates).value == pytest.approx(3 / 5)  # (2 + 1) right of 5 judged; undecided in no rate


def test_items_hold_at_least_40_of_each_kind_and_alternate() -> None:
    items = load_items()
    assert sum(i["kind"] == "ugi" for i in items) >= 40 and sum(i["kind"] == "sta" for i in items) >= 40
    assert len({i["id"] for i in items}) == len(items)
    assert [i["kind"] for i in interleaved(items, ["ugi", "sta"])[:4]] == ["ugi", "sta", "ugi", "sta"]


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        ugi_sta(kinds="ugi,xyz")
