"""The import rules of ARCHITECTURE.md, read from the source with `ast` (nothing is imported, so a rule holds for
imports under `if TYPE_CHECKING:` and inside functions too):

- `tony.core` (and the model providers in `tony.model`) import neither the card, the evaluations nor the commands;
- `tony.card` imports no evaluation and no command (`cli`, `card_run`, `compare`);
- an evaluation folder imports no other evaluation folder;
- no module of `tony` imports itself back through others (no import cycle; `card/build.py` and `card/render.py` were one).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

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


def test_no_import_cycle_in_tony():
    assert cycles(import_graph()) == []


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
