"""Inspect AI entry point: registers tony's tasks and model providers (`inspect eval tony/<name>`).

Every evaluation folder under `tony/evals/` with a `plugin.py` registers itself (tony.core.plugin); importing the
plugins imports their @task functions, which is what registers them with Inspect.
"""

# ruff: noqa: F401
from tony.core.judges.judge_task import judge_validation
from tony.core.plugin import evaluations
from tony.model.gguf import GGUFModelAPI

evaluations()
