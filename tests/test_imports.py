"""Data flows one way through the app (content -> attempts -> progress, leaderboards, analysis):
no module of `quizzes/` imports, directly or through others, a module that imports it back.

Every import counts, at the top of a module or inside a function (which only hides a cycle
until the function runs), under TYPE_CHECKING too. Read from the source, without Django.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "quizzes"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of `known` that the module `name` imports, anywhere in its source. `from
    package import name` imports the submodule when there is one, else the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found |= {
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            }
    return {module for module in found if module in known and module != name}


def import_graph() -> dict[str, set[str]]:
    paths = modules()
    return {name: imported(name, path, set(paths)) for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as the modules along it (the first repeated at the end), or None."""
    done: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str] | None:
        if module in trail:
            return [*trail[trail.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph[module]):
            if cycle := visit(target, [*trail, module]):
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module, []):
            return cycle
    return None


def test_no_module_of_the_app_imports_itself_back():
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_walk_sees_imports_at_the_top_and_inside_functions():
    graph = import_graph()
    assert "quizzes.models.content" in graph["quizzes.models.attempts"]  # at the top
    assert "quizzes.models" in graph["quizzes.apps"]  # inside ready()
    assert "quizzes.grading" in graph["quizzes.models.content"]  # `from quizzes import grading`


def test_it_finds_a_cycle_however_long():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_rules_of_ranking_and_grading_know_nothing_of_django():
    for name in ("quizzes.ranking", "quizzes.grading"):
        tree = ast.parse(modules()[name].read_text(encoding="utf-8"))
        roots = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert "django" not in roots, name
