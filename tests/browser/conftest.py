"""Real Chromium against a live caremap server with its own committed database.

Every test here is marked `browser`. Without /usr/bin/chromium the folder is
skipped, except on CI (CI=true), where a missing browser is an error.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from tests.browser.helpers import unique_tag
from tests.conftest import PASSWORD, fresh_database_url, load_base_data, make_app, migrate

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
    from caremap.core.extensions import db

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
    """Errors the browser reports on any page of the test's context.

    Chromium logs "Failed to load resource … status of 4xx" for a page that answers
    4xx; those pages are expected (a form with errors is 422, a conflict 409, a
    refused sign-in 401), so such lines about a top-level page are not errors.
    Anything else, 5xx pages, failed assets, CSP violations and uncaught
    exceptions included, fails the test.
    """
    errors: list[str] = []
    expected_pages: set[tuple[str, int]] = set()

    def on_response(response) -> None:
        if response.request.resource_type == "document" and 400 <= response.status < 500:
            expected_pages.add((response.url, response.status))

    def on_console(message) -> None:
        if message.type != "error":
            return
        text, url = message.text, message.location.get("url", "")
        found = re.search(
            r"Failed to load resource: the server responded with a status of (\d+)", text
        )
        if found and (url, int(found.group(1))) in expected_pages:
            return
        page = message.page.url if message.page else "?"
        errors.append(f"console error on {page}: {text} (at {url or 'inline'})")

    context.on("response", on_response)
    context.on("console", on_console)
    context.on("weberror", lambda web_error: errors.append(f"uncaught error: {web_error.error}"))
    return errors


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """A test whose pages logged errors fails, even when its own assertions passed."""
    result = yield
    errors = getattr(item, "funcargs", {}).get("console_errors")
    if errors:
        raise AssertionError("The browser reported errors:\n" + "\n".join(errors))
    return result


@pytest.fixture
def register_person(live_app):
    """Commit a person registered by a role's team; returns their id."""
    from caremap.core.extensions import db
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


@pytest.fixture
def make_user(live_app):
    """Commit a user of the practitioner's team with the test password; returns the email."""
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    def make(email: str, role: str = "practitioner") -> str:
        with live_app.app_context():
            create_user(
                actor=None,
                email=email,
                full_name="Lockout Testuser",
                role=role,
                team="spa-triage",
                password=PASSWORD,
            )
            db.session.commit()
        return email

    return make


@pytest.fixture
def in_database(live_app):
    """Run a function inside the live app's context, for checks on what was committed."""

    def run(function):
        with live_app.app_context():
            return function()

    return run


@pytest.fixture
def staff(live_app):
    """Commit a staff user in a team; returns the email (the test password signs in)."""
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    def make(role: str, team: str) -> str:
        email = f"{role}-{unique_tag().lower()}@test.example"
        with live_app.app_context():
            create_user(
                actor=None,
                email=email,
                full_name=f"{team.split('-')[0].title()} {role.title()}",
                role=role,
                team=team,
                password=PASSWORD,
            )
            db.session.commit()
        return email

    return make
