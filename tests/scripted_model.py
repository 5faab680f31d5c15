"""A test-only Inspect model for resume, cache and fault tests: `tony-test-faulty/<mode>`.

Modes:
  ok       answers at once (repeats the question, then "Answer: D"; as a judge "VERDICT: PASS").
  slow     like ok, but each call takes `TONY_TEST_DELAY` seconds (default 0.05) — long enough to kill a run mid-way.
  flaky    each distinct prompt first fails with an HTTP 429, then with a 503, then answers (retried by Inspect).
  down     every call fails with an HTTP 503 (retried by Inspect until --max-retries / --timeout give up).
  badkey   every call fails with an HTTP 401, which is not retried (a bad API key).

Every attempt at a call is appended as one line to the file named by `TONY_TEST_CALLS` (when set), so that a test
can count model calls across processes, including those of a `tony card` subprocess that was killed.
Import this module to register the model API (`python -c "import tests.scripted_model; ..."` in a subprocess).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, ModelUsage, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo
from tenacity.wait import wait_fixed

MODES = ("ok", "slow", "flaky", "down", "badkey")
CALLS_ENV = "TONY_TEST_CALLS"
DELAY_ENV = "TONY_TEST_DELAY"


class HTTPStatusError(Exception):
    """What an API client raises for an HTTP error status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status} from the scripted test API")
        self.status = status


def transient(status: int) -> bool:
    """Rate limits and server errors are worth retrying; client errors (401, 400) are not."""
    return status == 429 or status >= 500


def count_calls(path: str | os.PathLike[str]) -> int:
    """Model call attempts recorded so far in a TONY_TEST_CALLS file."""
    try:
        with open(path, encoding="utf-8") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


@modelapi(name="tony-test-faulty")
class FaultyModel(ModelAPI):
    """Answers from a script, failing as its mode says; records every attempt."""

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        if model_name not in MODES:
            raise ValueError(f"tony-test-faulty mode must be one of {', '.join(MODES)}, not {model_name!r}")
        self.mode = model_name
        self.attempts: Counter[str] = Counter()

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        self._record()
        self.attempts[prompt] += 1
        if self.mode == "badkey":
            raise HTTPStatusError(401)
        if self.mode == "down":
            raise HTTPStatusError(503)
        if self.mode == "flaky" and self.attempts[prompt] <= 2:
            raise HTTPStatusError(429 if self.attempts[prompt] == 1 else 503)
        if self.mode == "slow":
            await asyncio.sleep(float(os.environ.get(DELAY_ENV, "0.05")))
        question = prompt.strip().splitlines()[-1][:80] if prompt.strip() else ""
        text = "VERDICT: PASS" if "VERDICT" in prompt else f"You asked: {question}\nAnswer: D"
        output = ModelOutput.from_content(self.model_name, text)
        output.usage = ModelUsage(input_tokens=len(prompt.split()), output_tokens=len(text.split()),
                                  total_tokens=len(prompt.split()) + len(text.split()))
        return output

    def should_retry(self, ex: Exception) -> bool:
        return isinstance(ex, HTTPStatusError) and transient(ex.status)

    def retry_wait(self) -> wait_fixed:
        return wait_fixed(0.01)  # tests need no real back-off

    def max_tokens(self) -> int | None:
        return 64

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())

    def _record(self) -> None:
        path = os.environ.get(CALLS_ENV)
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"{self.mode}\n")


def keep_only(evaluations: list[str]) -> None:
    """Register only these evaluation folders' plugins (a subprocess's `tony card` then runs only their suites)."""
    import importlib

    from tony.core import plugin

    for name in evaluations:
        if name == "scripted":
            from tests.scripted_plugin import EVALUATION

            plugin.register(EVALUATION)
        else:
            importlib.import_module(f"tony.evals.{name}.plugin")
    plugin._discovered = True  # no discovery of the other folders


def tony_command(*arguments: str, evaluations: tuple[str, ...] = ("scripted",)) -> list[str]:
    """argv for a `tony` subprocess that knows this model and runs only the named evaluations' suites."""
    import sys

    code = ("import sys, tests.scripted_model as scripted; "
            f"scripted.keep_only({list(evaluations)!r}); "
            "from tony.cli import main; sys.exit(main(sys.argv[1:]))")
    return [sys.executable, "-c", code, *arguments]


@modelapi(name="tony-test-rate")
class RateModel(ModelAPI):
    """`tony-test-rate/<p>`: answers "yes" with probability p, "no" otherwise (seeded by the model argument `seed`);
    counts its calls (for `--ci-width` tests and bench/adaptive_sample_size.py)."""

    calls = 0

    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), seed: int = 3, **model_args: object) -> None:
        import numpy as np

        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)
        self.rate, self.rng = float(model_name), np.random.default_rng(int(seed))

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        RateModel.calls += 1
        return ModelOutput.from_content(self.model_name, "yes" if self.rng.random() < self.rate else "no")

    async def count_text_tokens(self, text: str) -> int:
        return len(text.split())
