"""A test-only Inspect model whose sampled chains of thought disagree: `tony-test-chains/script`.

Tests fill `SCRIPT` (question text -> `Scripted`): a greedy letter prompt (temperature 0, ending in "Answer:") gets
`greedy`; the j-th sampled chain (config.seed = j + 1, as `gemini.task._sample_seed(0, j)` gives) closes with
`chains[j]`. A `None` letter is a reply that names no option (unparsed).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

NO_LETTER = "Not sure; the options look alike."


@dataclass(frozen=True)
class Scripted:
    greedy: str | None
    chains: tuple[str | None, ...]


SCRIPT: dict[str, Scripted] = {}  # filled by the test (monkeypatch)


def _scripted(prompt: str) -> Scripted:
    """The one scripted question the prompt asks (shots come from the dev split, never scripted)."""
    hits = [question for question in SCRIPT if question in prompt]
    if len(hits) != 1:
        raise AssertionError(f"expected one scripted question in the prompt, found {len(hits)}")
    return SCRIPT[hits[0]]


@modelapi(name="tony-test-chains")
class ChainModel(ModelAPI):
    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        script = _scripted(prompt)
        if prompt.rstrip().endswith("Answer:"):  # the k-shot greedy letter
            if config.temperature:
                raise AssertionError("the greedy letter must be asked at temperature 0")
            text = f" {script.greedy}" if script.greedy else NO_LETTER
        else:  # the j-th sampled chain of thought
            if not config.temperature or config.seed is None:
                raise AssertionError("a chain must be sampled with a temperature and a seed")
            letter = script.chains[config.seed - 1]
            text = f"Let me weigh the options one by one.\nThe answer is ({letter})" if letter else NO_LETTER
        return ModelOutput.from_content(self.model_name, text)
