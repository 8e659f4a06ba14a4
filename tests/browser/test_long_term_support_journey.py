"""A key worker records a person's social care profile, a Care Act assessment, the care
package it led to and ends the assessment, in a real browser; every page passes axe."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, fill_date, sign_in, unique_tag


def test_profile_assessment_and_package(page: Page, register_person):
    family = f"Trebilcock{unique_tag()}"
    person_id = register_person("key_worker", given_name="Jenifer", family_name=family)
    last_year = dt.date.today() - dt.timedelta(days=300)
    sign_in(page, "key_worker")

    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Long-term support: profile, assessments").click()
    expect(page.locator("#social-care-profile")).to_contain_text("Not recorded yet")
    axe_check(page)

    page.get_by_role("link", name="Record the social care profile").click()
    axe_check(page)
    page.get_by_label("Primary support reason").select_option(
        "Physical support: Personal care support"
    )
    page.get_by_label("Ethnicity").select_option("White: Irish")
    page.get_by_role("group", name="Has an unpaid carer").get_by_label("Yes").check()
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_text("The social care profile is saved.")).to_be_visible()
    expect(page.locator("#social-care-profile")).to_contain_text("White: Irish")

    page.get_by_role("link", name="Record an assessment").click()
    axe_check(page)
    page.get_by_role("group", name="Assessment type").get_by_label("Long term assessment").check()
    page.get_by_role("group", name="Method of assessment").get_by_label("Face to face").check()
    # a start tomorrow is refused, named beside its field and in the summary
    fill_date(page, "Start date", dt.date.today() + dt.timedelta(days=1))
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Start date must be today or in the past"
    )
    axe_check(page)
    fill_date(page, "Start date", last_year)
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("The assessment is recorded.")).to_be_visible()
    axe_check(page)
    fill_date(page, "End date", last_year + dt.timedelta(days=14))
    page.get_by_label("Outcome").select_option("Progress to support planning or services")
    page.get_by_role("button", name="End it").click()
    expect(page.get_by_text("The assessment has ended.")).to_be_visible()

    page.goto(f"/people/{person_id}/care-packages/new")
    page.get_by_label("Service type").select_option("Long term support: Community")
    page.get_by_label("Service component").select_option("Home support or domiciliary care")
    page.get_by_label("Delivery mechanism").select_option("CASSR commissioned support")
    page.get_by_label("The assessment it follows").select_option(index=1)
    fill_date(page, "Start date", last_year + dt.timedelta(days=20))
    page.get_by_role("button", name="Save the care package").click()
    expect(page.get_by_text("The care package is recorded.")).to_be_visible()
    page.goto(f"/people/{person_id}/long-term-support")
    expect(page.locator("#care-packages")).to_contain_text("Home support or domiciliary care")
    expect(page.locator("#assessments")).to_contain_text("Progress to support planning")
