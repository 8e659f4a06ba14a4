"""Accessibility problems axe-core once found, one test each, kept so they stay fixed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_violations, describe, sign_in, unique_tag


def test_the_back_link_is_inside_a_landmark(page: Page, register_person) -> None:
    person_id = register_person(
        "practitioner", given_name="Rhea", family_name=f"Back{unique_tag()}"
    )
    sign_in(page, "practitioner")
    page.goto(f"/people/{person_id}/identity")
    expect(page.get_by_role("link", name="Back to the record")).to_be_visible()
    violations = axe_violations(page, rules=["region"])
    assert not violations, describe(violations)
