"""Inspect AI entry point: registers tony's tasks and model providers (`inspect eval tony/<name>`)."""

# ruff: noqa: F401
from tony.evals.faithfulness.task import faithfulness
from tony.model.gguf import GGUFModelAPI
from tony.evals.faithfulness.judge_validation import faithfulness_judge
