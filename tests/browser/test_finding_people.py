"""Finding a person and reading their record, with the mouse and with the keyboard only."""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag
from tests.conftest import PASSWORD, valid_nhs_number


def test_practitioner_finds_a_misspelt_name_reads_records_and_signs_out(
    page: Page, register_person
) -> None:
    tag = unique_tag()
    family = f"Fairweather{tag}"
    other_team = register_person("key_worker", given_name="Margaret", family_name=family)
    own_team = register_person(
        "practitioner", given_name="Harold", family_name=family, town="Plymouth"
    )

    page.goto("/sign-in")
    expect(page.get_by_role("heading", name="Sign in to caremap")).to_be_visible()
    axe_check(page)
    sign_in(page, "practitioner")
    expect(page.get_by_role("heading", name="Hello, Test")).to_be_visible()
    axe_check(page)

    # One letter missing from the family name still finds both people.
    page.get_by_role("searchbox", name="Find a person").fill(f"Fairwether{tag}")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile(r"^2 people named"))).to_be_visible()
    results = page.get_by_role("table", name=re.compile(r"^2 people named"))
    expect(results.get_by_role("link")).to_have_text(
        [f"{family.upper()}, Harold", f"{family.upper()}, Margaret"], ignore_case=False
    )
    axe_check(page)

    # Registered by another team: who they are, and nothing more.
    results.get_by_role("link", name=f"{family.upper()}, Margaret").click()
    expect(page).to_have_url(re.compile(rf"/people/{other_team}$"))
    header = page.locator("#person-header")
    expect(header.get_by_role("heading", level=1)).to_have_text(f"Margaret {family}")
    expect(header).to_contain_text("identity only")
    expect(page.get_by_text("You can see who this is, but not their record")).to_be_visible()
    expect(page.get_by_role("heading", name="My story")).to_have_count(0)
    expect(page.get_by_role("heading", name="Chronology")).to_have_count(0)
    axe_check(page)

    # Registered by the practitioner's own team: the full record.
    page.go_back()
    expect(page.get_by_role("heading", name=re.compile(r"^2 people named"))).to_be_visible()
    page.get_by_role("link", name=f"{family.upper()}, Harold").click()
    expect(page).to_have_url(re.compile(rf"/people/{own_team}$"))
    expect(header.get_by_role("heading", level=1)).to_have_text(f"Harold {family}")
    expect(header).not_to_contain_text("identity only")
    expect(header).to_contain_text("Plymouth")
    expect(page.get_by_role("heading", name="My story")).to_be_visible()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    axe_check(page)
    record_url = page.url

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    axe_check(page)

    # Neither the back button nor the record's address shows the record again.
    page.go_back()
    expect(page.get_by_role("heading", name="Sign in to caremap")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    expect(page.get_by_text(family)).to_have_count(0)
    page.goto(record_url)
    expect(page.get_by_role("heading", name="Sign in to caremap")).to_be_visible()
    expect(page.get_by_text(family)).to_have_count(0)


def _focused(page: Page) -> dict:
    """What has focus now, and whether it is drawn differently from the same element unfocused."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const style = getComputedStyle(el);
            return {
                id: el.id, tag: el.tagName, text: (el.innerText || el.value || '').trim(),
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
                    && !['rgba(0, 0, 0, 0)', 'transparent'].includes(style.outlineColor),
                boxShadow: style.boxShadow !== 'none',
                outlineStyle: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
                shadow: style.boxShadow,
            };
        }"""
    )


def _tab_to(page: Page, matches, *, limit: int = 25) -> dict:
    """Press Tab until the focused element matches; every stop must show where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        assert focused["outline"] or focused["boxShadow"], f"no visible focus indicator: {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; focus ended on {focused}")


def test_keyboard_only_sign_in_and_search(page: Page, register_person) -> None:
    tag = unique_tag()
    family = f"Keyboardson{tag}"
    register_person("practitioner", given_name="Tabitha", family_name=family)

    page.goto("/sign-in")
    _tab_to(page, lambda f: f["id"] == "email")
    page.keyboard.type("practitioner@test.example")
    _tab_to(page, lambda f: f["id"] == "password", limit=1)
    page.keyboard.type(PASSWORD)
    _tab_to(page, lambda f: f["text"] == "Sign in", limit=3)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Hello, Test")).to_be_visible()

    _tab_to(page, lambda f: f["id"] == "home-q")
    page.keyboard.type(f"Keybordson{tag}")  # misspelt
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile(r"^1 person named"))).to_be_visible()

    link = f"{family.upper()}, Tabitha"
    _tab_to(page, lambda f: f["tag"] == "A" and f["text"] == link, limit=40)
    page.keyboard.press("Enter")
    expect(page.locator("#person-header").get_by_role("heading", level=1)).to_have_text(
        f"Tabitha {family}"
    )


def test_namesakes_are_told_apart_in_results_and_records_opened_recently(
    page: Page, register_person, in_database
) -> None:
    from caremap.core.extensions import db
    from caremap.people.models import Person

    tag = unique_tag()
    family = f"Trevaskis{tag}"
    nhs = valid_nhs_number(secrets.randbelow(1_000_000))
    older = register_person(
        "practitioner",
        given_name="Loveday",
        family_name=family,
        date_of_birth="1938-02-17",
        nhs_number=nhs,
        postcode="PL1 2AA",
    )
    younger = register_person(
        "practitioner", given_name="Loveday", family_name=family, date_of_birth="1990-07-05"
    )
    refs = in_database(
        lambda: dict(
            db.session.execute(
                sa.select(Person.id, Person.local_ref).where(Person.id.in_([older, younger]))
            ).all()
        )
    )
    expected = {
        older: ["17 February 1938", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "PL1 2AA", refs[older]],
        younger: ["5 July 1990", "Not known", "PL4 6AB", refs[younger]],
    }

    sign_in(page, "practitioner")
    page.goto(f"/people/search?q=Loveday+{family}")
    results = page.get_by_role("table", name=re.compile(r"^2 people named"))
    expect(results.get_by_role("columnheader")).to_have_text(
        ["Name", "Born", "NHS number", "Postcode", "Local reference"]
    )
    for person, cells in expected.items():
        row = results.get_by_role("row").filter(has=page.locator(f'a[href="/people/{person}"]'))
        expect(row.get_by_role("cell")).to_have_text([f"{family.upper()}, Loveday", *cells])
    axe_check(page)

    for person in expected:
        page.goto(f"/people/{person}")
    page.goto("/")
    recent = page.get_by_role("table", name="Records you opened recently")
    for person, cells in expected.items():
        row = recent.get_by_role("row").filter(has=page.locator(f'a[href="/people/{person}"]'))
        expect(row.get_by_role("rowheader")).to_have_text(f"Loveday {family}")
        expect(row.get_by_role("cell")).to_have_text(cells)
    axe_check(page)
