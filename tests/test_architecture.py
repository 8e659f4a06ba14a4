"""The rule of the house (docs/architecture.md) is checked, not hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from caremap import app as app_module
from caremap.access.policy import RELATIONSHIPS
from caremap.episodes.enums import Day91Outcome
from caremap.worktasks.forms import DAY91_CHOICES
from caremap.worktasks.schemas import CompleteTaskArgs

ROOT = Path(__file__).resolve().parent.parent
# Only the top of the house wires the rest together, and may import late to do it.
LATE_IMPORTS_ALLOWED = {ROOT / "caremap" / "app.py", ROOT / "caremap" / "cli.py"}


def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _function_local_caremap_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("caremap"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
            elif isinstance(node, ast.Import) and any(
                alias.name.startswith("caremap") for alias in node.names
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} import caremap")
    return found


def test_no_module_hides_an_import_inside_a_function():
    """A function-local import hides a dependency from the contracts above (and is how the
    old cycles hid); only app.py and cli.py, which wire the house together, may."""
    hidden = [
        line
        for path in sorted((ROOT / "caremap").rglob("*.py"))
        if path not in LATE_IMPORTS_ALLOWED
        for line in _function_local_caremap_imports(path)
    ]
    assert hidden == [], "\n".join(hidden)


def test_the_detector_finds_a_hidden_import(tmp_path):
    sample = ROOT / "caremap" / "_sample_for_test.py"
    try:
        sample.write_text("def f():\n    from caremap.people.models import Person\n")
        assert _function_local_caremap_imports(sample) == [
            "caremap/_sample_for_test.py:2 from caremap.people.models"
        ]
    finally:
        sample.unlink()


def test_every_domain_registers_itself_and_every_relationship_has_a_provider(app):
    for domain in app_module.DOMAINS:
        assert callable(getattr(domain, "register", None)), domain.__name__
    providers = app.extensions["caremap.relationships"]
    assert set(providers) == set(RELATIONSHIPS)
    assert all(providers[because] for because in RELATIONSHIPS)


def test_the_task_page_offers_exactly_the_day91_outcomes_an_episode_records():
    """Tasks sit below episodes, so the task form spells the outcomes out; they must not
    drift from the episode's enum (ASCOF 2B counts those values)."""
    values = {outcome.value for outcome in Day91Outcome}
    assert {choice.value for choice in DAY91_CHOICES} == values
    field = CompleteTaskArgs().fields["day91_outcome"]
    assert set(field.validate.choices) == values
