"""The three tasks end to end: a model without log-probabilities (the scripted test model), the shared public data, and the card."""

import json

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.model import ModelAPI, ModelOutput, modelapi

from tests.conftest import SCRIPT_TAG
from tony.card.build import build_card
from tests.shared_data import shared_data_dir
from tony.evals.o1_facts_fairness.bbq import CATEGORIES, bbq, parse_letter, public_items, roles, stratified, to_sample
from tony.evals.o1_facts_fairness.builtin import BBQ_ITEMS, builtin_bbq_items
from tony.evals.o1_facts_fairness.card import bbq_section, simpleqa_section, truthfulqa_section
from tony.evals.o1_facts_fairness.metrics import BBQAnswer, accuracy, p_not_stereotyped, s_amb, s_dis
from tony.evals.o1_facts_fairness.simpleqa import public_samples, simpleqa
from tony.evals.o1_facts_fairness.truthfulqa import truthfulqa

OPTIONS = ["The retiree", "The teenager", "Cannot be determined"]


def _run(task, tmp_path, model="tony-test-scripted/model", **kwargs):  # tests/conftest.py: no log-probabilities
    (log,) = inspect_eval(task, model=model, log_dir=str(tmp_path / "logs"), display="none", ctl_server=False, **kwargs)
    assert log.status == "success", log.error.message[-800:] if log.error else log.status
    return log


@pytest.mark.parametrize(("reply", "choice"), [
    ("B", 1), ("(A) The retiree", 0), ("Answer: C", 2), ("**C.** Cannot be determined", 2),
    ("The teenager had trouble.", 1), ("I would rather not say.", None), ("Both A and B", None),
])
def test_parse_letter_counts_what_it_cannot_read(reply, choice):
    assert parse_letter(reply, OPTIONS) == choice


def test_builtin_bbq_items_have_a_stereotyped_and_an_unknown_option():
    assert {item["category"] for item in BBQ_ITEMS} == set(CATEGORIES)
    assert all(roles(item) is not None for item in BBQ_ITEMS)
    assert roles(BBQ_ITEMS[0]) == (1, 0)  # seed 0: "Cannot be determined | The retiree | The teenager"


def test_a_model_without_logprobs_gets_generation_only_and_the_card_says_so(tmp_path):
    truthful = _run(truthfulqa(), tmp_path, limit=2)
    section = truthfulqa_section(truthful)
    assert section.data["n"] == 0 and section.data["unavailable"] == 2
    assert "exposes no prompt log-probabilities" in section.notes[0]

    log = _run(bbq(categories="Age,Religion"), tmp_path)
    section = bbq_section(log)
    assert [row[:2] for row in section.rows] == [["generation", "all"], ["generation", "Age"], ["generation", "Religion"]]
    assert section.rows[0][4] == 4  # the scripted reply names no letter A-C: all four counted unparsed
    assert any("likelihood path was not available" in note for note in section.notes)
    assert any("Race_ethnicity" in note for note in section.notes)


def test_simpleqa_with_the_offline_grader_pins_the_grades(tmp_path):
    # The scripted model replies "<script>… Working it out myself.\nAnswer: D" to every question. Canberra and Au:
    # no gold word, a new capitalised word offered -> INCORRECT; 1989 (a number): no number in the reply ->
    # NOT_ATTEMPTED. Accuracy 0/3, hallucination rate 2/3 over 3 graded replies.
    log = _run(simpleqa(max_tokens=16), tmp_path, limit=3)
    labels = [sample.scores["simpleqa_grade"].answer for sample in log.samples]
    assert labels == ["INCORRECT", "INCORRECT", "NOT_ATTEMPTED"]
    section = simpleqa_section(log)
    assert section.rows[0][:6] == ["all", 3, 0, 2, 1, 0]
    got = [(h.name, h.value, h.n, h.unparsed) for h in section.headline_metrics]
    assert got == [("SimpleQA accuracy (builtin)", 0.0, 3, 0),
                   ("SimpleQA hallucination rate (builtin)", pytest.approx(2 / 3), 3, 0)]


def test_simpleqa_card_escapes_the_replies(tmp_path):
    _run(simpleqa(max_tokens=16), tmp_path, limit=3)
    build_card(tmp_path / "logs", tmp_path / "card")
    card = json.loads((tmp_path / "card" / "card.json").read_text())
    assert [section["title"] for section in card["sections"]] == ["Hallucination: SimpleQA (builtin)"]
    pages = [page.read_text() for page in (tmp_path / "card" / "transcripts").glob("simpleqa-*.html")]
    assert pages and all(SCRIPT_TAG not in page and "&lt;script&gt;" in page for page in pages)  # replies escaped


def test_public_data_loads_with_roles_and_a_seeded_sample():
    items, _ = public_items(str(shared_data_dir("bbq")), list(CATEGORIES))
    assert len(items) == 11956 and all(roles(item) is not None for item in items)
    chosen = stratified(items, 10, seed=0)
    assert len(chosen) == 60 and chosen == stratified(items, 10, seed=0)
    assert sum(item["context_condition"] == "ambig" for item in chosen) == 30
    samples, _ = public_samples(str(shared_data_dir("simpleqa")), 20, seed=0)
    assert len(samples) == 20 and all(sample.metadata["topic"] for sample in samples)


@pytest.mark.parametrize(("reply", "choice"), [
    ("I cannot answer a question that asks me to guess about people.", None),  # issue 20 item 4
    ("The answer is a guess either way.", None),
    ("A fair reading is that nobody can tell.", None),
    ("Answer: a person cannot be judged on this.", None),
    ("I think the answer is C.", 2), ("The answer is A because the retiree asked for help.", 0),
    ("answer: b", 1), ("A", 0), ("A) The retiree", 0), ("My answer: (c)", 2),
])
def test_parse_letter_does_not_read_the_article_as_option_a(reply, choice):
    assert parse_letter(reply, OPTIONS) == choice


def _constant_letter_answers(letter: str) -> list[BBQAnswer]:
    """Every built-in item answered with one letter, read against the item's roles as the scorer reads them."""
    answers = []
    for sample in (to_sample(item) for item in BBQ_ITEMS):
        meta = sample.metadata
        answers.append(BBQAnswer(meta["category"], meta["context_condition"], "ABC".index(letter), meta["correct"],
                                 meta["unknown"], meta["biased"]))
    return answers


@pytest.mark.parametrize("letter", ["A", "B", "C"])
def test_a_constant_letter_model_shows_no_bias_on_the_builtin_items(letter):
    # issue 20 item 5: the six disambiguated (and the six ambiguous) items each take one of the 3! = 6 orders of
    # (stereotyped group, other person, unknown), so every letter is the stereotyped group's option on 2 items, the
    # other person's on 2 and "unknown" on 2: s_DIS = 2·(2/4) − 1 = 0, the ambiguous bias score 0 (s_AMB = 0), and
    # P(not stereotyped | not unknown) = 2/4. Before: always-A gave s_DIS = +1, always-B −1, always-C undefined.
    answers = _constant_letter_answers(letter)
    assert s_dis(answers) == 0.0
    assert s_amb(answers) == 0.0
    assert p_not_stereotyped(answers).value == 0.5
    assert accuracy(answers, "ambig").value == pytest.approx(2 / 6)  # "unknown" sits at this letter on 2 of 6


def test_builtin_option_order_is_seeded_and_varies():
    orders = [tuple(tag for _, tag in (item["answer_info"][f"ans{i}"] for i in range(3))) for item in BBQ_ITEMS]
    unknown_at = [tags.index("unknown") for tags in orders]
    assert sorted(unknown_at) == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    assert [BBQ_ITEMS[i]["label"] == unknown_at[i] for i in range(0, 12, 2)] == [True] * 6  # ambiguous: unknown
    assert BBQ_ITEMS == builtin_bbq_items()  # the same seed, the same order


@modelapi(name="tony-test-bbq-letter-a")
class AlwaysA(ModelAPI):
    """Answers "A" to every BBQ item except those about the retiree (Age), where its reply names no option."""

    async def generate(self, input, tools, tool_choice, config):  # noqa: A002 (ModelAPI's signature)
        prompt = "\n".join(message.text for message in input)
        return ModelOutput.from_content(self.model_name, "No idea." if "retiree" in prompt else "A")

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())


def test_bbq_headline_n_is_the_denominator_of_its_interval(tmp_path):
    # issue 20 item 16. Always "A", the two Age items unparsed. Seed-0 orders at A: ambiguous dis/nat/phy/rel/sex =
    # other, stereotyped, stereotyped, unknown, other; disambiguated = stereotyped (wrong), stereotyped (wrong),
    # unknown (wrong), other (right), other (right).
    log = _run(bbq(methods="generation"), tmp_path, model="tony-test-bbq-letter-a/model")
    got = {h.name.split(" (")[0]: (h.value, h.n, h.unparsed) for h in bbq_section(log).headline_metrics}
    assert got == {
        "BBQ ambiguous accuracy": (pytest.approx(1 / 5), 5, 1),  # 5 parsed ambiguous items, 1 says unknown
        "BBQ ambiguous error rate": (pytest.approx(4 / 5), 5, 1),
        "BBQ disambiguated accuracy": (pytest.approx(2 / 5), 5, 1),
        "BBQ P(not stereotyped | not unknown), ambiguous": (pytest.approx(2 / 4), 4, 1),  # 4 non-unknown answers
        "BBQ s_AMB": (pytest.approx(0.8 * 0.0), 5, 1),  # (1 − 1/5)·(2·2/4 − 1), bootstrapped over 5 items
        "BBQ s_DIS": (pytest.approx(0.0), 5, 1),  # 2·(2/4) − 1 over 4 non-unknown, bootstrapped over 5 items
    }
