"""Release gates on a comparison: `--fail-if "METRIC<OP><THRESHOLD>"`, tested on the estimated difference B − A.

METRIC names a compared metric by its full name (`run/scorer`, `run/scorer=category`, `run/headline name`), by the
part after the run, or by its last part (a headline's name without its bracketed note, e.g. `not_unsafe`); a name
that several metrics share gates each of them. OP is <, <=, > or >=. A gate fails when its condition holds for the
estimated difference (`--gate-on estimate`, the default) or for the whole 95% interval, i.e. the difference is
significantly beyond the threshold (`--gate-on interval`: for < and <= the interval's upper end, for > and >= its
lower end); and always when the difference (or the interval) is not defined, or the metric's run is not comparable
(its settings differ between A and B).
"""

from __future__ import annotations

import argparse
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tony.compare.compare import MetricComparison
from tony.compare.items import CompareError
from tony.compare.settings import NotComparable
from tony.compare.render import format_difference
from tony.core.stats.intervals import Interval

OPERATORS: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}
GATE = re.compile(r"^\s*(?P<metric>.+?)\s*(?P<op><=|>=|<|>)\s*(?P<threshold>[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*$")


@dataclass(frozen=True)
class Gate:
    text: str
    metric: str
    op: str
    threshold: float

    def fails(self, difference: Interval, on: str = "estimate") -> bool:
        """Whether the condition holds for the estimate, or (on="interval") for every value in the 95% interval."""
        value = difference.value if on == "estimate" else (difference.high if self.op in ("<", "<=") else difference.low)
        return value is None or OPERATORS[self.op](value, self.threshold)


def parse_gate(text: str) -> Gate:
    """`not_unsafe<-0.02` -> Gate; argparse turns the ValueError into a usage error."""
    match = GATE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected METRIC<OP>NUMBER with OP one of <, <=, >, >= (e.g. "
                                         f"\"not_unsafe<-0.02\"), not {text!r}")
    return Gate(text, match["metric"], match["op"], float(match["threshold"]))


def gated_rows(gate: Gate, rows: list[MetricComparison]) -> list[MetricComparison]:
    return [row for row in rows if gate.metric in row.aliases]


def check_gates(gates: list[Gate], rows: list[MetricComparison], on: str = "estimate",
                not_comparable: Sequence[NotComparable] = ()) -> list[str]:
    """One line per failed gate and metric (a metric of a run that is not comparable fails its gate); CompareError
    naming every gate whose metric is neither compared nor of a run that is not comparable."""
    failures = [f"gate failed: {gate.text.strip()}: {entry.run}: not comparable, settings differ "
                f"({'; '.join(entry.differences)})" for gate in gates for entry in not_comparable
                if gate.metric in entry.metrics]
    unknown = [gate.metric for gate in gates if not gated_rows(gate, rows)
               and not any(gate.metric in entry.metrics for entry in not_comparable)]
    if unknown:
        raise CompareError(f"--fail-if names no compared metric: {', '.join(dict.fromkeys(unknown))} (see the "
                           "metric column of the comparison, or use a metric's last part, e.g. not_unsafe)")
    for gate in gates:
        for row in gated_rows(gate, rows):
            if gate.fails(row.difference, on):
                failures.append(f"gate failed: {gate.text.strip()}: {row.name}: B − A = {format_difference(row.difference)}")
    return failures

