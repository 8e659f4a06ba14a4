"""The one search box in a browser: NHS number, date of birth, postcode, paging, errors."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag
from tests.conftest import valid_nhs_number


def test_the_one_box_reads_what_was_typed_and_pages_the_results(
    page: Page, register_person
) -> None:
    tag = unique_tag()
    nhs = valid_nhs_number(secrets.randbelow(1_000_000))
    person = register_person(
        given_name="Wenna",
        family_name=f"Boxsearch{tag}",
        date_of_birth="1944-06-06",
        nhs_number=nhs,
        postcode="ZE2 9AB",
    )
    for n in range(26):
        register_person(
            given_name="Paged", family_name=f"Zpage{tag}{chr(97 + n)}", postcode="ZE2 9AD"
        )

    sign_in(page, "practitioner")
    box = page.get_by_role("searchbox", name="Find a person")

    # An NHS number with spaces, as it is printed on a letter.
    box.fill(f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^1 person with NHS number"))
    ).to_be_visible()
    expect(page.locator(f'a[href="/people/{person}"]')).to_be_visible()
    axe_check(page)

    # The last digit wrong: said so, not "0 people".
    wrong = nhs[:9] + str((int(nhs[9]) + 1) % 10)
    search = page.get_by_role("searchbox", name="Name, NHS number, date of birth or postcode")
    search.fill(wrong)
    page.get_by_role("button", name="Search").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Not a valid NHS number: check the last digit")
    expect(page.get_by_text(re.compile(r"^0 people"))).to_have_count(0)
    axe_check(page)
    summary.get_by_role("link").click()
    expect(search).to_be_focused()

    # A date of birth as people write it, then the postcode district with its true total.
    search.fill(f"Boxsearch{tag} 6/6/1944")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(f'a[href="/people/{person}"]')).to_be_visible()
    search.fill("ZE2")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="27 people in ZE2, showing 1–25")).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Pages of results").get_by_role("link", name="Next").click()
    expect(page.get_by_role("heading", name="27 people in ZE2, showing 26–27")).to_be_visible()
    axe_check(page)
