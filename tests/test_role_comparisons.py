"""Who may act is declared on the models' Scope (core.scope) and asked through
core.access; no module decides it by comparing a user's role. This test fails on
a role compared anywhere else — in Python (`user.role == Role.X`, `role in
{...}`, a role set such as STAFF_ROLES on either side of a comparison, `match
user.role`) or in a template (`user.role == "..."`) — the way NetBox's
test_missing_filters fails on a model without filters."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "shegong"
# The role and scope modules: where roles are declared and read.
ALLOWED = {"core/roles.py", "core/scope.py"}
ROLE_SETS = {"STAFF_ROLES", "OFFICIAL_ROLES"}
TEMPLATE_COMPARISON = re.compile(r"\.role\s*(==|!=|\bin\b|\bnot in\b)|\brole\s*(==|!=)")


def _is_role(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return True
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role"
    if isinstance(node, ast.Name):
        return node.id in ROLE_SETS
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "getattr" and len(node.args) >= 2:
            name = node.args[1]
            return isinstance(name, ast.Constant) and name.value == "role"
        return node.func.id in {"frozenset", "set", "tuple"} and any(map(_is_role, node.args))
    return False


def role_comparisons_in_python(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        compared = isinstance(node, ast.Compare) and any(
            _is_role(side) for side in (node.left, *node.comparators)
        )
        matched = isinstance(node, ast.Match) and _is_role(node.subject)
        if compared or matched:
            lines.append(node.lineno)
    return sorted(lines)


def role_comparisons_in_template(source: str) -> list[int]:
    return [n for n, line in enumerate(source.splitlines(), 1) if TEMPLATE_COMPARISON.search(line)]


def _offenders() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if "/migrations/" in rel or rel in ALLOWED:
            continue
        found += [f"{rel}:{n}" for n in role_comparisons_in_python(path.read_text())]
    for path in sorted(SRC.rglob("*.html")):
        rel = path.relative_to(SRC).as_posix()
        found += [f"{rel}:{n}" for n in role_comparisons_in_template(path.read_text())]
    return found


def test_no_role_is_compared_outside_the_role_and_scope_modules():
    assert _offenders() == []


@pytest.mark.parametrize(
    "source",
    [
        "if user.role == Role.STATION_DIRECTOR: pass",
        "ok = actor.role in (Role.SOCIAL_WORKER, Role.STATION_DIRECTOR)",
        "ok = request.user.role not in STAFF_ROLES",
        "ok = Role.CITY_OFFICER == user.role",
        "match user.role:\n    case _: pass",
        'ok = getattr(user, "role", None) in SIDE',
    ],
)
def test_the_check_sees_a_role_comparison(source):
    assert role_comparisons_in_python(source) == [1]


@pytest.mark.parametrize(
    "source",
    [
        "user = User(role=Role.SOCIAL_WORKER)",
        "scope = Scope(create_roles=frozenset({Role.STATION_DIRECTOR}))",
        "label = user.get_role_display()",
    ],
)
def test_declaring_a_role_is_not_comparing_one(source):
    assert role_comparisons_in_python(source) == []


def test_the_check_sees_a_template_comparison():
    assert role_comparisons_in_template('{% if user.role == "evaluator" %}x{% endif %}') == [1]
    assert role_comparisons_in_template("{{ user.get_role_display }}") == []
