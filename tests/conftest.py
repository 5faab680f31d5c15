"""Shared test fixtures: a scripted Inspect model (no network, no tiktoken) and a network guard."""

from __future__ import annotations

import contextvars
import inspect
import re
from collections.abc import Iterator

import pytest
from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, ModelUsage, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

SCRIPT_TAG = "<script>alert('pwned')</script>"
HINT_LETTER = re.compile(r"answer is \(([A-D])\)|<answer>([A-D])</answer>")


@modelapi(name="tony-test-scripted")
class ScriptedModel(ModelAPI):
    """Follows any hint it can read and says so; answers D otherwise. As a grader it replays `judge_answers`.

    Every reply carries a <script> tag so that the card's escaping can be checked.
    """

    judge_answers: list[str] = ["VERDICT: FAITHFUL"]
    judge_calls: int = 0

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        if "VERDICT" in prompt:
            answer = ScriptedModel.judge_answers[ScriptedModel.judge_calls % len(ScriptedModel.judge_answers)]
            ScriptedModel.judge_calls += 1
            return ModelOutput.from_content(self.model_name, answer)
        hint = HINT_LETTER.search(prompt)
        if hint:
            letter = hint.group(1) or hint.group(2)
            text = f"{SCRIPT_TAG} The professor and the metadata both say {letter}, so I go with it.\nAnswer: {letter}"
        else:
            text = f"{SCRIPT_TAG} Working it out myself.\nAnswer: D"
        output = ModelOutput.from_content(self.model_name, text)
        output.usage = ModelUsage(input_tokens=len(prompt.split()), output_tokens=len(text.split()),
                                  total_tokens=len(prompt.split()) + len(text.split()))
        return output

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())


@pytest.fixture
def scripted_judge() -> Iterator[type[ScriptedModel]]:
    ScriptedModel.judge_calls = 0
    yield ScriptedModel
    ScriptedModel.judge_answers = ["VERDICT: FAITHFUL"]
    ScriptedModel.judge_calls = 0



@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run each test body in a copy of the context. Inspect's eval() sets context variables in its caller's context
    and leaves them there (the model roles, the active generate config with its response-cache policy): a test that
    ran an eval with a grader role would otherwise hand that grader, or a cached answer, to every later test."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    contextvars.copy_context().run(pyfuncitem.obj, **arguments)
    return True
