"""A manager checks the quarter's CLD rows before submission, opens the records to fix,
and downloads the file; a safeguarding lead makes the SAC tables and opens the cases
behind a cell. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag


def _records(live_app) -> tuple[str, str]:
    """A planned review without its outcomes (a failing CLD row) in the last complete
    quarter's window, and a concern raised in the last complete financial year."""
    from caremap.core import clock
    from caremap.core.extensions import db
    from caremap.indicators.periods import last_complete
    from tests.returns import records

    today = clock.today()
    quarter, year = last_complete("quarter", today=today), last_complete("year", today=today)
    with live_app.app_context():
        found = records.person(given_name=unique_tag(), family_name=unique_tag())
        records.review(
            found, started_on=quarter.start, ended_on=quarter.start, outcomes_achieved=None
        )
        records.concern(found, raised_on=year.start + dt.timedelta(days=10))
        db.session.commit()
    return quarter.code, year.code


def test_the_returns_from_check_to_download(page: Page, live_app):
    quarter, year = _records(live_app)

    sign_in(page, "manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    expect(page.get_by_role("heading", name="Statutory returns")).to_be_visible()
    axe_check(page)
    page.get_by_label("Quarter").fill(quarter)
    page.get_by_role("button", name="Check the CLD rows").click()
    expect(page.get_by_role("heading", name="Data quality before submission")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Review Outcomes Achieved").click()
    expect(
        page.get_by_role("heading", name="Review Outcomes Achieved: records to fix")
    ).to_be_visible()
    expect(page.locator("#counts-only")).to_contain_text("counts only")
    axe_check(page)
    page.get_by_role("link", name="Data quality").click()
    with page.expect_download() as download:
        page.locator("#download").click()
    assert download.value.suggested_filename == f"cld-879-{quarter}.csv"

    page.goto("/returns")
    page.get_by_label("Quarter").fill("next spring")
    page.get_by_role("button", name="Check the CLD rows").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Quarter must be a quarter")
    axe_check(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "safeguarding_lead")
    page.goto("/returns")
    page.get_by_label("Financial year").fill(year)
    page.get_by_role("button", name="Make the SAC tables").click()
    expect(page.get_by_role("heading", name="The SAC tables")).to_be_visible()
    axe_check(page)
    page.locator("#SG1f").get_by_role("link").first.click()
    expect(page.locator("#cases")).to_be_visible()
    axe_check(page)
