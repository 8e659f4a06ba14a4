"""A task owned by a named worker gives them the assigned-task relationship (the record
opens to them). No one may choose that worker except through a grant: every place that
creates a task for a named owner (`create_task(owner_user=...)`) must be an operation
listed in access.operations.GRANTS, which asks check_grantor. Tasks for a team are the
system's (a referral's answer, a day-91 follow-up, a transition plan, a medication
review): their owner follows from a service's own work, not from anyone's choice."""

from __future__ import annotations

import ast
from pathlib import Path

from caremap.access.operations import GRANTS

PACKAGE = Path(__file__).resolve().parents[2] / "caremap"


def _named_owner_call_sites() -> set[str]:
    """`module.function` of every function that calls create_task with owner_user."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) == "create_task"
                    and any(k.arg == "owner_user" for k in node.keywords)
                ):
                    found.add(f"{module}.{function.name}")
    return found


def test_a_task_for_a_named_worker_is_created_only_by_a_grant():
    sites = _named_owner_call_sites()
    assert sites, "the scan finds safeguarding's action owners"
    assert sites <= set(GRANTS.values()), sites - set(GRANTS.values())
