"""What the browser journeys share: signing in, unique names, the axe-core check."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def unique_tag(length: int = 6) -> str:
    """Letters only (search compares letters and digits), capitalised: 'Qzkxjw'.

    The browser database is committed for real, so each test names its own people.
    """
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(length)).capitalize()


def sign_in(page: Page, role: str, *, password: str = PASSWORD, check: bool = True) -> None:
    if not page.url.endswith("/sign-in"):
        page.goto("/sign-in")
    page.get_by_label("Email address").fill(f"{role}@test.example")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    if check:
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# Violations known and accepted for now, as (rule id, CSS target of the node); none today.
KNOWN_VIOLATIONS: set[tuple[str, str]] = set()


def axe_violations(page: Page, *, rules: list[str] | None = None) -> list[dict]:
    # A click that navigates returns once the new document is committed, which may be
    # before it is parsed: axe once ran on a page with only its <html> element (no main
    # landmark, no h1) under load. It checks the page once the page has loaded.
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
    return page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {' '.join(node['target'])}: {node['html'][:200]}" for node in v["nodes"])
        for v in violations
    )


def axe_check(page: Page) -> None:
    """Fail on any axe-core violation on the page as it is now (but the known ones).

    `add_script_tag` inserts an inline <script>, which caremap's CSP rightly blocks.
    An expression evaluated over the DevTools protocol is not subject to the page's
    CSP, so axe goes in that way and the app's real CSP stays on for the test.
    """
    violations = []
    for violation in axe_violations(page):
        nodes = [
            node
            for node in violation["nodes"]
            if (violation["id"], " ".join(node["target"])) not in KNOWN_VIOLATIONS
        ]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    assert not violations, f"axe-core violations on {page.url}:\n{describe(violations)}"


def sign_in_as(page: Page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to caremap")).to_be_visible()


def fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
