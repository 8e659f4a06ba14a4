"""Real Chromium against a live caremap server with its own committed database.

Every test here is marked `browser`. Without /usr/bin/chromium the folder is
skipped, except on CI (CI=true), where a missing browser is an error.
"""

from __future__ import annotations

import os
import secrets
import string
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROLE_TEAMS, fresh_database_url, load_base_data, make_app, migrate

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
AXE = HERE.parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mine = [item for item in items if HERE in Path(str(item.path)).resolve().parents]
    if not mine:
        return
    have_chromium = os.access(CHROMIUM, os.X_OK)
    if not have_chromium and os.environ.get("CI") == "true":
        pytest.exit(f"Browser tests need {CHROMIUM}, which is missing on CI", returncode=1)
    for item in mine:
        item.add_marker(pytest.mark.browser)
        if not have_chromium:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


# ---- the live server ---------------------------------------------------------


@pytest.fixture(scope="session")
def live_app():
    """caremap on its own database: what the browser does is committed for real."""
    url = fresh_database_url("browser")
    migrate(url)
    app = make_app(url, WTF_CSRF_ENABLED=True)
    load_base_data(app)
    yield app
    from caremap.extensions import db

    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="caremap-live", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright gives every context this base URL, so pages can goto('/sign-in')."""
    return live_server


# ---- console errors fail the test -------------------------------------------


@pytest.fixture(autouse=True)
def console_errors(context) -> list[str]:
    """Errors the browser reports on any page of the test's context."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console error on {message.page.url if message.page else '?'}: "
                          f"{message.text} ({message.location})")

    context.on("console", on_console)
    context.on("weberror", lambda web_error: errors.append(f"page error: {web_error.error}"))
    return errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    result = yield
    errors = item.funcargs.get("console_errors") if hasattr(item, "funcargs") else None
    if errors:
        raise AssertionError("The browser reported errors:\n" + "\n".join(errors))
    return result


# ---- helpers -----------------------------------------------------------------


def unique_tag(length: int = 6) -> str:
    """Letters only (names are normalised to letters and digits), capitalised."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(length)).capitalize()


def axe_check(page) -> None:
    """No axe-core violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # An expression evaluated over the DevTools protocol is not subject to the page's CSP,
        # so the app's real Content-Security-Policy stays on while axe is injected.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    violations = page.evaluate("async () => (await axe.run()).violations")
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n  "
        + "\n  ".join(", ".join(node["target"]) + f"  {node['html'][:160]}" for node in v["nodes"])
        for v in violations
    )


@pytest.fixture
def register_person(live_app):
    """Commit a person registered by a role's team; returns their id."""
    from caremap.extensions import db
    from caremap.people import operations
    from caremap.people.schemas import RegisterPersonArgs
    from tests.conftest import user

    def register(role: str = "practitioner", **details: Any) -> int:
        data = {
            "date_of_birth": "1950-03-07",
            "postcode": "PL4 6AB",
            "confirm_no_duplicate": True,
            **details,
        }
        with live_app.app_context():
            person = operations.register_person(
                actor=user(role), details=RegisterPersonArgs().load(data)
            )
            db.session.commit()
            return person.id

    return register


__all__ = ["ROLE_TEAMS", "axe_check", "unique_tag"]
