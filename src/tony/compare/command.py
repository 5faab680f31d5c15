"""`tony compare A B`: compare two card folders (or log folders) metric by metric, write a comparison card and
apply release gates."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tony.compare.compare import compare_sides
from tony.compare.gates import check_gates, parse_gate
from tony.compare.items import read_side
from tony.compare.render import comparison_json, render_html, render_markdown

HELP = ("compare two card folders (or log folders) A and B: B − A per metric, paired where the same items were "
        "scored, with Holm's correction; write an HTML comparison card")


def add_compare_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    compare = commands.add_parser("compare", help=HELP, description=HELP + ".")
    compare.add_argument("a", metavar="A", help="the baseline: a card folder (tony card --out) or a folder of Inspect logs")
    compare.add_argument("b", metavar="B", help="the candidate, likewise; every difference is B − A")
    compare.add_argument("--out", default="comparison",
                         help="folder for index.html, comparison.json and comparison.md (default ./comparison)")
    compare.add_argument("--format", choices=["markdown", "json"], default="markdown", help="summary printed on stdout")
    compare.add_argument("--fail-if", dest="gates", type=parse_gate, action="append", default=[], metavar="GATE",
                         help='release gate on the difference B − A, e.g. "not_unsafe<-0.02" (OP: <, <=, >, >=): '
                              "exit 1 when it holds (or the difference is not defined); METRIC is a compared "
                              "metric's full name, the part after its run, or its last part (a headline's name "
                              "without its bracketed note); a name shared by several metrics gates each; repeatable")
    compare.add_argument("--gate-on", choices=["estimate", "interval"], default="estimate",
                         help="a gate tests the estimated difference (default), or its whole 95%% interval: "
                              "'interval' fails only where B − A is significantly beyond the threshold")
    compare.set_defaults(run=command_compare)


def command_compare(arguments: argparse.Namespace) -> int:
    comparison = compare_sides(read_side("A", Path(arguments.a)), read_side("B", Path(arguments.b)))
    failures = check_gates(arguments.gates, comparison.rows, arguments.gate_on, comparison.not_comparable)  # an unknown metric: CompareError, before any output
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)
    markdown = render_markdown(comparison)
    (out / "index.html").write_text(render_html(comparison, failures), encoding="utf-8")
    (out / "comparison.json").write_text(json.dumps(comparison_json(comparison), indent=2, default=str), encoding="utf-8")
    (out / "comparison.md").write_text(markdown, encoding="utf-8")
    print(json.dumps(comparison_json(comparison), indent=2, default=str) if arguments.format == "json" else markdown)
    print(f"comparison card written: {out / 'index.html'}", file=sys.stderr)
    for failure in failures:
        print(f"tony: {failure}", file=sys.stderr)
    return 1 if failures else 0
