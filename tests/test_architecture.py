"""The layout's promises (docs/architecture.md): no import cycle anywhere in
the project's code, imports inside functions included, and no hand-written
module past 500 lines. The layer order itself is `lint-imports`'s contracts
in pyproject.toml, run by `make test`."""

from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("board", "moderation", "config")
MAX_LINES = 500


def _own(module: str) -> bool:
    return ".migrations" not in module


def strongly_connected(edges: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of modules that import one another."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in edges[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in edges:
        if module not in index:
            visit(module)
    return groups


def test_strongly_connected_finds_a_cycle_and_ignores_a_chain():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(edges) == [{"a", "b", "c"}]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


@pytest.fixture(scope="module")
def import_graph():
    graph = grimp.build_graph(*PACKAGES)
    modules = {module for module in graph.modules if _own(module)}
    return {
        module: {
            imported
            for imported in graph.find_modules_directly_imported_by(module)
            if imported in modules
        }
        for module in modules
    }


def test_the_graph_sees_imports_made_inside_functions(import_graph):
    # moderation/apps.py registers its hooks with imports inside ready().
    assert "board.hooks" in import_graph["moderation.apps"]


def test_no_import_cycles(import_graph):
    assert strongly_connected(import_graph) == []


def test_board_never_imports_moderation(import_graph):
    assert not [
        (module, imported)
        for module, imported_set in import_graph.items()
        if module.startswith("board")
        for imported in imported_set
        if imported.startswith(("moderation", "config"))
    ]


def test_no_hand_written_module_is_over_500_lines():
    long = {
        str(path.relative_to(ROOT)): length
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
