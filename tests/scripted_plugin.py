"""A test-only evaluation plugin: sums asked of the model, each reply checked by the grader-role judge when one is
bound (through tony's own `ask_grader`) and offline otherwise. Resume, cache and fault tests run `tony card` on it so
that they depend on the plugin API and the card machinery only, not on any paper's evaluation. Nothing is registered
on import: a `tony` subprocess calls `register(EVALUATION)` (see `tests.scripted_model.keep_only`), in-process tests
use `registered()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from inspect_ai import Task, task
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.log import EvalLog
from inspect_ai.scorer import Score, Scorer, Target, accuracy, scorer
from inspect_ai.solver import TaskState, generate

from tony.card.section import HeadlineMetric, Section, task_name
from tony.core.judges.grader import ask_grader, grader_model_name, parse_verdict
from tony.core.plugin import Evaluation, Paper, SuiteEntry, evaluations, register, unregister

SCRIPTED = "scripted"


@scorer(metrics=[accuracy()])
def judged_reply() -> Scorer:
    async def score(state: TaskState, target: Target) -> Score:
        reply = state.output.completion
        if grader_model_name():
            answer = await ask_grader(f"Is this a reply with an answer line?\n\n{reply}\n\nEnd with VERDICT: PASS or VERDICT: FAIL")
            verdict = parse_verdict(answer, ["pass", "fail"])
        else:
            verdict = "pass" if "Answer:" in reply else "fail"
        return Score(value=1.0 if verdict == "pass" else 0.0, answer=verdict)

    return score


@task
def scripted_sums(n: int = 10, data_dir: str | None = None) -> Task:
    """Sums asked of the model (test-only; `data_dir` is accepted as public-data entries pass it)."""
    samples = [Sample(id=f"sum-{i:02d}", input=f"What is {i} + {i}? End with 'Answer: <number>'.", target=str(2 * i))
               for i in range(n)]
    return Task(dataset=MemoryDataset(samples), solver=generate(), scorer=judged_reply())


def sums_section(log: EvalLog) -> Section:
    scores = [sample.scores["judged_reply"].value for sample in log.samples or [] if sample.scores]
    passed = sum(1 for value in scores if value == 1.0)
    share = passed / len(scores) if scores else None
    return Section(
        task=task_name(log), title=f"Scripted sums ({task_name(log)})",
        headline=f"{passed} of {len(scores)} replies pass", method="Sums asked of the model.", judge="test judge",
        columns=["replies", "pass"], rows=[[len(scores), passed]],
        headline_metrics=[HeadlineMetric("share passing", share, n=len(scores), unit="replies")],
    )


EVALUATION = Evaluation(
    name=SCRIPTED,
    paper=Paper("tony tests", "a scripted evaluation for tests"),
    position=1000,
    tasks={"scripted_sums": scripted_sums},
    sections={"scripted_sums": sums_section},
    quick=(SuiteEntry("sums_a", "scripted_sums", {"n": 16}), SuiteEntry("sums_b", "scripted_sums", {"n": 12}, 8)),
    full=(SuiteEntry("sums_a", "scripted_sums", {"n": 16}), SuiteEntry("sums_b", "scripted_sums", {"n": 12}),
          SuiteEntry("sums_public", "scripted_sums", {"n": 4}, datasets=("xstest", "harmbench"))),
)


@contextmanager
def registered() -> Iterator[Evaluation]:
    """The scripted evaluation registered for the duration (tony's own are discovered first)."""
    evaluations()
    register(EVALUATION)
    try:
        yield EVALUATION
    finally:
        unregister(EVALUATION.name)
