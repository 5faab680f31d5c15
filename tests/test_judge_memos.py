"""The offline judges memoise pure functions of a string (issue 22 item 4); a caller that changes what one returns
must not change what the next caller gets."""

from tony.evals.alignment_faking.offline_judges import sentences
from tony.evals.process_supervision.arithmetic import evaluate, problem_quantities
from tony.evals.sparrow.evidence_facts import dates, quantities
from tony.evals.sparrow.offline_evidence import content


def test_memoised_sets_and_lists_are_fresh_copies():
    passage = "The bridge opened on 4 July 1932 and is 1,149 metres long."
    words = content(passage)
    words.add("planted")
    assert "planted" not in content(passage)

    found = quantities(passage)
    found.clear()
    assert [q.value for q in quantities(passage)] == [1149.0]

    named = dates(passage)
    named.append(("planted",))
    assert ("planted",) not in dates(passage) and len(dates(passage)) == len(named) - 1

    numbers = problem_quantities("Ann has 3 apples and buys 15% more.")
    numbers.add("999")
    assert "999" not in problem_quantities("Ann has 3 apples and buys 15% more.")

    parts = sentences("One. Two! Three?")
    parts.pop()
    assert sentences("One. Two! Three?") == ["One.", "Two!", "Three?"]


def test_memoised_arithmetic_gives_the_same_value_twice():
    assert evaluate("3 * 12 - 5") == evaluate("3 * 12 - 5") == 31
    assert evaluate("7 / 0") is None and evaluate("7 / 0") is None
