"""Registering a person: the duplicate check, and a form with errors that creates nothing."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag


def _fill_date(page: Page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _people_named(family_name: str):
    from caremap.core.extensions import db
    from caremap.people.models import Person

    return lambda: db.session.scalars(
        sa.select(Person.id).where(Person.family_name == family_name)
    ).all()


def test_register_a_near_duplicate_after_checking_the_likely_matches(
    page: Page, register_person, in_database
) -> None:
    tag = unique_tag()
    existing = register_person(
        "key_worker",
        given_name="Bernadette",
        family_name=f"Castellano{tag}",
        date_of_birth="1948-11-23",
    )
    typo = f"Castelano{tag}"

    sign_in(page, "practitioner")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="Register a person")).to_be_visible()
    axe_check(page)

    page.get_by_label("First name").fill("Bernadette")
    page.get_by_label("Last name").fill(typo)
    _fill_date(page, "Date of birth", dt.date(1948, 11, 23))
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("This person may already have a record")).to_be_visible()
    matches = page.get_by_role("table", name="Likely matches")
    match = matches.get_by_role("link", name=f"Use Bernadette Castellano{tag}'s record")
    expect(match).to_have_attribute("href", f"/people/{existing}")
    expect(matches).to_contain_text("similar name, same date of birth")
    # What was typed is kept.
    expect(page.get_by_label("Last name")).to_have_value(typo)
    expect(page.get_by_role("group", name="Date of birth").get_by_label("Year")).to_have_value(
        "1948"
    )
    axe_check(page)
    assert in_database(_people_named(typo)) == []

    page.get_by_label("I have checked these records and none of them is this person").check()
    page.get_by_role("button", name="Register").click()

    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    expect(page.get_by_text(f"Bernadette {typo} is registered.")).to_be_visible()
    expect(page.locator("#person-header").get_by_role("heading", level=1)).to_have_text(
        f"Bernadette {typo}"
    )
    axe_check(page)
    new_ids = in_database(_people_named(typo))
    assert len(new_ids) == 1 and new_ids[0] != existing
    assert page.url.endswith(f"/people/{new_ids[0]}")


def test_register_with_bad_input_lists_each_problem_and_creates_nothing(
    page: Page, in_database
) -> None:
    family = f"Wrongdata{unique_tag()}"
    today = dt.date.today()
    next_year = today.replace(year=today.year + 1, day=min(today.day, 28))

    sign_in(page, "practitioner")
    page.goto("/people/new")
    page.get_by_label("First name").fill("Ivor")
    page.get_by_label("Last name").fill(family)
    _fill_date(page, "Date of birth", next_year)
    page.get_by_label("NHS number (optional)").fill("1234567890")
    page.get_by_label("Postcode (optional)").fill("XX1")
    page.get_by_role("button", name="Register").click()

    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    problems = {
        "date_of_birth": "Date of birth must be today or in the past",
        "nhs_number": "NHS number is not a valid NHS number",
        "postcode": "Postcode is not a valid UK postcode",
    }
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(problems))
    for field_id, message in problems.items():
        link = summary.get_by_role("link", name=message)
        # The link's target is the field itself; for a date, its day box (it takes focus).
        target_id = f"{field_id}-day" if field_id == "date_of_birth" else field_id
        expect(link).to_have_attribute("href", f"#{target_id}")
        target = page.locator(f"#{target_id}")
        expect(target).to_have_count(1)
        expect(target).to_be_editable()
        # And the message is repeated beside the field.
        expect(page.locator(f"#{field_id}-error")).to_contain_text(message)
    axe_check(page)

    # Following a link puts the cursor in the field.
    summary.get_by_role("link", name=problems["nhs_number"]).click()
    expect(page.get_by_label("NHS number (optional)")).to_be_focused()
    summary.get_by_role("link", name=problems["postcode"]).click()
    expect(page.get_by_label("Postcode (optional)")).to_be_focused()

    # What was typed is kept, and nothing was created.
    expect(page.get_by_label("NHS number (optional)")).to_have_value("1234567890")
    assert in_database(_people_named(family)) == []


def test_the_date_of_birth_error_link_puts_the_cursor_in_the_day_box(page: Page) -> None:
    sign_in(page, "practitioner")
    page.goto("/people/new")
    page.get_by_label("First name").fill("Ivor")
    page.get_by_label("Last name").fill(f"Datelink{unique_tag()}")
    _fill_date(page, "Date of birth", dt.date.today() + dt.timedelta(days=400))
    page.get_by_role("button", name="Register").click()

    page.get_by_role("link", name="Date of birth must be today or in the past").click()
    day = page.get_by_role("group", name="Date of birth").get_by_label("Day")
    expect(day).to_be_focused(timeout=1000)


def test_the_same_name_and_birth_date_asks_for_the_record_or_a_reason(
    page: Page, register_person, in_database
) -> None:
    tag = unique_tag()
    family = f"Polglase{tag}"
    born = dt.date(1951, 4, 9)
    existing = register_person(
        "key_worker", given_name="Demelza", family_name=family, date_of_birth=born.isoformat()
    )

    sign_in(page, "practitioner")
    page.goto("/people/new")
    page.get_by_label("First name").fill("demelza ")  # case and spaces aside, the same
    page.get_by_label("Last name").fill(f" {family} ")
    _fill_date(page, "Date of birth", born)
    page.get_by_role("button", name="Register").click()

    # Held: the existing record to open, or a reason to give; nothing created yet.
    expect(page.get_by_text("A record already has this name and date of birth")).to_be_visible()
    same = page.get_by_role("table", name="Same name and date of birth")
    open_link = same.get_by_role("link", name=f"Open Demelza {family}'s record")
    expect(open_link).to_have_attribute("href", f"/people/{existing}")
    expect(same).to_contain_text("Not known")  # no NHS number: the local reference tells
    axe_check(page)
    assert in_database(_people_named(family)) == [existing]

    # Registering again without a reason is refused beside the reason box.
    page.get_by_role("button", name="Register").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    link = summary.get_by_role("link", name=re.compile("Enter why this is a different person"))
    expect(link).to_have_attribute("href", "#reason")
    axe_check(page)
    link.click()
    reason_box = page.get_by_label("If this is a different person, say why")
    expect(reason_box).to_be_focused()
    assert in_database(_people_named(family)) == [existing]

    reason = "Born in Truro; a different GP and next of kin"
    reason_box.fill(reason)
    page.get_by_role("button", name="Register").click()
    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    checks = page.locator("#identity-checks")
    expect(checks).to_contain_text(f"Checked: not the same person as Demelza {family}")
    expect(checks).to_contain_text("Checked by Test Practitioner on")
    expect(checks).to_contain_text(reason)
    axe_check(page)
    (new_id,) = [i for i in in_database(_people_named(family)) if i != existing]

    # The other record shows the same check (identity only here: another team's).
    checks.get_by_role("link", name=f"Demelza {family}").click()
    expect(page).to_have_url(re.compile(rf"/people/{existing}$"))
    expect(page.locator("#identity-checks")).to_contain_text(reason)
    expect(page.locator("#identity-checks").get_by_role("link")).to_have_attribute(
        "href", f"/people/{new_id}"
    )
    axe_check(page)


def test_opening_the_existing_record_instead_creates_nothing(
    page: Page, register_person, in_database
) -> None:
    family = f"Hosking{unique_tag()}"
    existing = register_person(
        "practitioner", given_name="Jory", family_name=family, date_of_birth="1966-12-01"
    )
    sign_in(page, "practitioner")
    page.goto("/people/new")
    page.get_by_label("First name").fill("Jory")
    page.get_by_label("Last name").fill(family)
    _fill_date(page, "Date of birth", dt.date(1966, 12, 1))
    page.get_by_role("button", name="Register").click()
    page.get_by_role("table", name="Same name and date of birth").get_by_role(
        "link", name=f"Open Jory {family}'s record"
    ).click()
    expect(page).to_have_url(re.compile(rf"/people/{existing}$"))
    expect(page.locator("#person-header").get_by_role("heading", level=1)).to_have_text(
        f"Jory {family}"
    )
    axe_check(page)
    assert in_database(_people_named(family)) == [existing]
