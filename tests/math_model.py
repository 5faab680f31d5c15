"""A test-only Inspect model for the math and multiple-choice protocols: `tony-test-math/<mode>`.

As the model under test it answers a multiple-choice prompt with "The answer is (B)" (letter prompts: "B") and a
math prompt with a fixed three-step solution; sampled calls (temperature > 0) alternate between that solution and
one with an arithmetic slip. As a grader it answers `GRADER_ANSWERS[0]`.
"""

from __future__ import annotations

from inspect_ai.model import ChatMessage, GenerateConfig, ModelAPI, ModelOutput, modelapi
from inspect_ai.tool import ToolChoice, ToolInfo

RIGHT = "4 * 15 = 60 rolls are baked.\n60 - 38 = 22 rolls are left.\nThe answer is 22."
SLIP = "4 * 15 = 70 rolls are baked.\n70 - 38 = 32 rolls are left.\nThe answer is 32."
GRADER_ANSWERS = ["FIRST_ERROR: none"]  # replaced by tests (monkeypatch) to script the grader


@modelapi(name="tony-test-math")
class MathModel(ModelAPI):
    def __init__(self, model_name: str, base_url: str | None = None, api_key: str | None = None,
                 config: GenerateConfig = GenerateConfig(), **model_args: object) -> None:
        super().__init__(model_name=model_name, base_url=base_url, api_key=api_key, config=config)

    async def generate(self, input: list[ChatMessage], tools: list[ToolInfo], tool_choice: ToolChoice,
                       config: GenerateConfig) -> ModelOutput:
        prompt = "\n".join(message.text for message in input)
        if "student" in prompt:
            return ModelOutput.from_content(self.model_name, GRADER_ANSWERS[0])
        if "multiple choice" in prompt:
            text = "B" if prompt.rstrip().endswith("Answer:") else "Step by step... The answer is (B)"
        else:
            sampled = bool(config.temperature) and (config.seed or 0) % 2 == 0
            text = SLIP if sampled else RIGHT
        return ModelOutput.from_content(self.model_name, text)
