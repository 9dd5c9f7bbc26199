"""Views parse forms, call one service and render: in the areas with one write path (training,
evaluations) no views module adds, deletes or assigns a field of a record. Read from the source with
`ast`, so a new view that writes fails here before review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tracker

AREAS = ["training", "evaluations"]
VIEWS = sorted(
    path for area in AREAS for path in (Path(tracker.__file__).parent / area / "views").glob("*.py")
)


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add", "add_all", "delete", "merge")
            and "session" in ast.unparse(node.func)
        ):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}()")
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t for target in node.targets for t in ast.walk(target)]
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = list(ast.walk(node.target))
        for target in targets:
            # Only a form (its fields' data and errors) may be assigned to in a view.
            if isinstance(target, ast.Attribute) and isinstance(target.ctx, ast.Store) and _root(target) != "form":
                found.append(f"line {target.lineno}: {ast.unparse(target)} = ...")
    return found


def test_there_are_views_to_check():
    assert len(VIEWS) >= 10


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: f"{p.parent.parent.name}/views/{p.name}")
def test_a_views_module_changes_no_record_itself(path):
    assert _writes(ast.parse(path.read_text())) == []


@pytest.mark.parametrize("path", VIEWS, ids=lambda p: f"{p.parent.parent.name}/views/{p.name}")
def test_views_modules_and_their_views_stay_short(path):
    tree = ast.parse(path.read_text())
    assert len(path.read_text().splitlines()) <= 400
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            assert node.end_lineno - node.lineno + 1 <= 40, node.name


def test_the_check_finds_a_view_that_writes():
    source = "def edit():\n    event.title = form.title.data\n    db.session.add(event)\n    form.title.data = 'x'\n"
    assert sorted(_writes(ast.parse(source))) == ["line 2: event.title = ...", "line 3: db.session.add()"]
