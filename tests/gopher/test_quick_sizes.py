"""The quick suite's Gopher runs hold enough units for an interval, so they can band the scorecard (issue 20 item 14:
with 3 prompts × 2 continuations and 6 Winogender sentences, both read "n too small" and banded nothing)."""

from __future__ import annotations

import pytest

from tony.cli import suite_plan
from tony.core.stats.intervals import MIN_UNITS


@pytest.mark.parametrize("run", ["gopher_toxicity_raw", "gopher_toxicity_dialogue", "gopher_winogender"])
def test_quick_gopher_runs_hold_at_least_the_bootstrap_minimum(run):
    plan = next(plan for plan in suite_plan("quick", None) if plan.name == run)
    task = plan.inspect_task()
    units = len(task.dataset) if plan.limit is None else min(plan.limit, len(task.dataset))
    assert units >= MIN_UNITS
