"""The import rules of ARCHITECTURE.md, read from the source with `ast` (nothing is imported, so a rule holds for
imports under `if TYPE_CHECKING:` and inside functions too):

- `tony.core` (and the model providers in `tony.model`) import neither the card, the evaluations nor the commands;
- `tony.card` imports no evaluation and no command (`cli`, `card_run`, `compare`);
- inside `tony.core`, `judges` may import `stats` and the plumbing, `stats` imports no judge, and the plumbing
  (core's top-level modules) imports neither;
- an evaluation folder imports no other evaluation folder;
- no module of the shared layers (core, model, card, the commands) imports itself back through others (no import
  cycle; `card/build.py` and `card/render.py` were one).
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).parents[1] / "src"
COMMANDS = ("tony.cli", "tony.card_run", "tony.compare", "tony._registry")


def module_name(path: Path) -> str:
    """`src/tony/card/build.py` -> `tony.card.build`; a package's `__init__.py` is the package itself."""
    parts = path.relative_to(SOURCE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in a file; `from a.b import c` yields `a.b` and `a.b.c` (c may be a module)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield node.lineno, base
            yield from ((node.lineno, f"{base}.{alias.name}") for alias in node.names)


def sources() -> dict[str, Path]:
    return {module_name(path): path for path in sorted((SOURCE / "tony").rglob("*.py"))}


def within(module: str, *packages: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in packages)


def breaches(importer: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(SOURCE)}:{line}: {name}" for module, path in sources().items() if within(module, *importer)
            for line, name in imported(path) if within(name, *forbidden)]


def test_core_imports_neither_card_nor_evaluations_nor_commands():
    assert breaches(("tony.core", "tony.model"), ("tony.card", "tony.evals", *COMMANDS)) == []


JUDGES, STATS = "tony.core.judges", "tony.core.stats"  # core's two named parts; the rest of core is plumbing


def test_inside_core_judges_sit_over_stats_and_plumbing():
    """core/stats imports nothing of core/judges; core's plumbing (its top-level modules) imports neither part."""
    assert breaches((STATS,), (JUDGES,)) == []
    plumbing = tuple(module for module in sources() if within(module, "tony.core") and not within(module, JUDGES, STATS)
                     and module != "tony.core")
    assert "tony.core.plugin" in plumbing and "tony.core.data" in plumbing
    assert breaches(plumbing, (JUDGES, STATS)) == []


def test_card_imports_no_evaluation_and_no_command():
    assert breaches(("tony.card",), ("tony.evals", *COMMANDS)) == []


def test_no_evaluation_imports_another():
    found = []
    for module, path in sources().items():
        if within(module, "tony.evals") and module.count(".") >= 2:
            own = ".".join(module.split(".")[:3])
            found += [f"{path.relative_to(SOURCE)}:{line}: {name}" for line, name in imported(path)
                      if within(name, "tony.evals") and name.count(".") >= 2 and not within(name, own)]
    assert found == []


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of tony it imports (names that are not modules, e.g. a class, are dropped)."""
    modules = sources()
    return {module: {name for _, name in imported(path) if name in modules and name != module}
            for module, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan 1972), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_loop_and_passes_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_card_build_and_render_do_not_import_each_other():
    graph = import_graph()
    assert "tony.card.render" not in graph["tony.card.build"] or "tony.card.build" not in graph["tony.card.render"]


def test_no_import_cycle_in_the_shared_layers():
    """core, model, card and the commands: no module imports itself back through others. (Inside one evaluation
    folder a cycle is that folder's own business and is not checked here.)"""
    graph = {module: imports for module, imports in import_graph().items() if not within(module, "tony.evals")}
    assert cycles(graph) == []


def test_the_scan_sees_imports_under_type_checking_and_in_functions(tmp_path, monkeypatch):
    """A forbidden import hidden under `if TYPE_CHECKING:`, inside a function or written relative still counts."""
    package = tmp_path / "tony" / "core"
    package.mkdir(parents=True)
    (package / "probe.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tony.card.section "
                                      "import Section\n\ndef f():\n    from ..card import build\n")
    monkeypatch.setitem(globals(), "SOURCE", tmp_path)
    assert sorted(breaches(("tony.core",), ("tony.card",))) == ["tony/core/probe.py:3: tony.card.section",
                                                              "tony/core/probe.py:3: tony.card.section.Section",
                                                              "tony/core/probe.py:6: tony.card",
                                                              "tony/core/probe.py:6: tony.card.build"]


# ---------------------------------------------------------------- behaviour stays the same across a move


VOLATILE = {"generated", "started", "completed", "wall_time_s", "run_time_s", "judge_time_s"}  # clocks of the run
LOG_FILE = re.compile(r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d[^\s\"']*\.eval")  # Inspect's log names: a time and a random id


def stable(value: Any) -> Any:
    """card.json without what differs between two runs of the same evaluations: clock times and log file names."""
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return LOG_FILE.sub("<log>", value) if isinstance(value, str) else value


def scripted_card(folder: Path) -> dict[str, Any]:
    """card.json of a fixed-seed card: the tests' scripted evaluation (4 sums) and tony's refusals task (its first 6
    built-in requests, offline refusal judge) answered by the scripted model `tony-test-faulty/ok`."""
    from inspect_ai import eval as inspect_eval
    from inspect_ai.dataset import MemoryDataset

    import tests.scripted_model  # noqa: F401  (registers tony-test-faulty)
    from tests.scripted_plugin import registered, scripted_sums
    from tony.card.build import build_card
    from tony.core.plugin import task_function

    with registered():
        refusals = task_function("refusals")(dataset="builtin")
        refusals.dataset = MemoryDataset(list(refusals.dataset)[:6])
        inspect_eval([scripted_sums(n=4), refusals], model="tony-test-faulty/ok", log_dir=str(folder / "logs"),
                     display="none", seed=7)
        build_card(folder / "logs", folder / "card")
    return json.loads((folder / "card" / "card.json").read_text(encoding="utf-8"))


def test_card_json_of_a_scripted_card_is_the_same_from_two_runs(tmp_path):
    """Issue 23: the card must not change when modules move. Two runs of the same fixed-seed evaluations give the same
    card.json (but for clock times and log names), so comparing card.json before and after a move shows any change."""
    first, second = scripted_card(tmp_path / "a"), scripted_card(tmp_path / "b")
    assert stable(first) == stable(second)
    assert first != second  # the clocks and log names that `stable` drops really differ between the runs
    sums = next(section for section in first["sections"] if section["task"] == "scripted_sums")
    assert sums["headline"] == "4 of 4 replies pass"  # every scripted reply ends with an 'Answer:' line
    assert [section["task"] for section in first["sections"]] == ["refusals_summary", "tony/refusals", "scripted_sums"]
