"""The shape the code keeps, read from the source with `ast`: views parse forms, call a service and render.
No views module adds or deletes rows or sets a field of a model instance; that is the services' job, so
that every change passes the checks they make (locking, the record's freeze, the audit)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tracker

ROOT = Path(tracker.__file__).parent
VIEW_MODULES = sorted(path for pattern in ("*/views.py", "*/views/*.py") for path in ROOT.glob(pattern))

# Attributes of WTForms fields that a view sets while filling a form in (form.day.data = ...,
# field.errors = [...]); no model has a field of these names.
FIELD_VALUES = {"data", "errors", "process_errors"}
FIELD_DECORATION = {"description", "choices", "label", "render_kw"}


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT.parent))


def _chain(node: ast.expr) -> tuple[ast.expr, list[str]]:
    """The base of an attribute chain and its attribute names: `form.day.data` is (form, [day, data])."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    return node, names


def _is_form(target: ast.Attribute) -> bool:
    """Whether an assignment sets part of a form (or the view's own object, or `g`), not a model."""
    base, names = _chain(target)
    if isinstance(base, ast.Name) and ("form" in base.id.lower() or base.id in ("g", "self")):
        return True
    if names[-1] in FIELD_VALUES:
        return True
    # getattr(form, name).description, or form.field.description
    return names[-1] in FIELD_DECORATION and (len(names) >= 2 or isinstance(base, ast.Call))


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        targets = []
        for target in node.targets:
            targets.extend(target.elts if isinstance(target, ast.Tuple) else [target])
        return targets
    if isinstance(node, ast.AugAssign | ast.AnnAssign):
        return [node.target]
    return []


def _writes(source: str) -> list[str]:
    """Where a module adds or deletes rows, or sets an attribute of something other than a form."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            _base, names = _chain(node.func)
            if names[-2:] in (["session", "add"], ["session", "add_all"], ["session", "delete"]):
                found.append((node.lineno, f"session.{names[-1]}"))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Name) and "form" in first.id.lower()):
                found.append((node.lineno, "setattr"))
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and not _is_form(target):
                found.append((node.lineno, f"assigns {ast.unparse(target)}"))
    return [f"line {line}: {what}" for line, what in sorted(found)]


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_name)
def test_views_leave_every_change_to_the_services(path):
    assert _writes(path.read_text()) == []


@pytest.mark.parametrize("path", VIEW_MODULES, ids=_name)
def test_views_modules_are_small_and_their_views_short(path):
    """At most 400 lines a module and 40 a function, so that a newcomer finds their way."""
    source = path.read_text()
    functions = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef)]
    long = [f.name for f in functions if f.end_lineno - f.lineno + 1 > 40]
    assert (len(source.splitlines()) <= 400, long) == (True, [])


def test_the_check_finds_what_it_looks_for():
    source = (
        "def view():\n"
        "    db.session.add(thing)\n"
        "    db.session.delete(thing)\n"
        "    item.status = Status.DONE\n"
        "    entry.updated_at, entry.updated_by_id = now, 1\n"
        "    setattr(item, 'risk', value)\n"
        "    form.day.data = today\n"
        "    getattr(form, name).data = value\n"
        "    form.reason.errors = ['Enter a reason']\n"
    )
    assert [problem.split(": ", 1)[1] for problem in _writes(source)] == [
        "session.add",
        "session.delete",
        "assigns item.status",
        "assigns entry.updated_at",
        "assigns entry.updated_by_id",
        "setattr",
    ]


def test_every_area_with_views_is_checked():
    assert {path.relative_to(ROOT).parts[0] for path in VIEW_MODULES} >= {"meetings", "minutes", "reports"}


MODULES = sorted(path for path in ROOT.rglob("*.py") if "migrations" not in path.relative_to(ROOT).parts)


def test_no_module_outside_the_migrations_is_over_400_lines():
    """A module that grows past 400 lines becomes a package with a module per feature (the migrations are
    history, and are left as they were written)."""
    long = {_name(path): n for path in MODULES if (n := len(path.read_text().splitlines())) > 400}
    assert long == {}


def test_the_size_check_sees_every_area():
    assert {path.relative_to(ROOT).parts[0] for path in MODULES} >= {"core", "demo", "meetings", "training"}
