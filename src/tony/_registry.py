"""Inspect AI entry point: registers tony's tasks and model providers (`inspect eval tony/<name>`)."""

# ruff: noqa: F401
from tony.evals.faithfulness.task import faithfulness
from tony.model.gguf import GGUFModelAPI
from tony.evals.faithfulness.judge_validation import faithfulness_judge
from tony.evals.refusals.task import jailbreaks, overrefusals, refusals
from tony.evals.goal_misgen.lm_task import goal_misgen_lm
from tony.evals.goal_misgen.rl_task import goal_misgen_rl
from tony.evals.alignment_faking.task import alignment_faking
