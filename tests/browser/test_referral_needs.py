"""The referral form, in the browser: needs under their strand's name, only those that
apply at the person's age, and a leaving-hospital referral that asks the day and ward."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, fill_date, sign_in, unique_tag


def _born(years: int) -> str:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=1).isoformat()


def test_a_child_sees_the_big_6_and_not_adult_social_care(page: Page, register_person):
    person_id = register_person(
        given_name="Tamsin", family_name=f"Rowe{unique_tag()}", date_of_birth=_born(7)
    )
    sign_in(page, "practitioner")
    page.goto(f"/people/{person_id}/refer")
    needs = page.get_by_role("group", name="Needs", exact=True)
    big6 = needs.get_by_role("group", name="Children's urgent care (Big 6)")
    expect(big6.get_by_label("Child: fever")).to_be_visible()
    expect(needs.get_by_label("Needs a supported place to live")).to_have_count(0)
    axe_check(page)


def test_an_adult_leaving_hospital_is_asked_the_day_and_ward(page: Page, register_person):
    person_id = register_person(
        given_name="Morwenna", family_name=f"Trevail{unique_tag()}", date_of_birth=_born(70)
    )
    sign_in(page, "practitioner")
    page.goto(f"/people/{person_id}/refer")
    needs = page.get_by_role("group", name="Needs", exact=True)
    expect(needs.get_by_role("group", name="Children's urgent care (Big 6)")).to_have_count(0)
    urgent = needs.get_by_role("group", name="Urgent care")
    urgent.get_by_label("Leaving hospital, needs support at home").check()
    page.get_by_label("Routine").check()
    page.get_by_role(
        "group", name="Has the person agreed to this referral being shared?"
    ).get_by_label("Yes").check()
    page.get_by_label("Hospital or emergency department").check()
    page.get_by_role("button", name="Send referral").click()
    # Without the day and the ward the form says what is missing, field by field.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Expected discharge date is needed")
    expect(summary).to_contain_text("Ward they are leaving from is needed")
    axe_check(page)
    fill_date(page, "Expected discharge date", dt.date.today() + dt.timedelta(days=1))
    page.get_by_label("Ward they are leaving from").fill("Ward 5, Derriford")
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text("Ward 5, Derriford")).to_be_visible()
    axe_check(page)
