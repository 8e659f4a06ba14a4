"""The back button after a warning or a preview (issue 18): the form posts, the answer is a
redirect to a page got, so going back and forward shows caremap's pages, never Chromium's
"Confirm Form Resubmission" (ERR_CACHE_MISS), and never sends the form again."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag

GONE_WORDS = "This form is no longer held"


class Navigations:
    """Every document request the page makes: a re-sent form would show as a POST."""

    def __init__(self, page: Page) -> None:
        self.seen: list[tuple[str, str]] = []
        page.on(
            "request",
            lambda request: (
                self.seen.append((request.method, request.url))
                if request.resource_type == "document"
                else None
            ),
        )

    def posts_since(self, mark: int) -> list[tuple[str, str]]:
        return [(method, url) for method, url in self.seen[mark:] if method != "GET"]


def assert_a_caremap_page(page: Page, title: re.Pattern) -> None:
    expect(page).to_have_title(title)
    content = page.content()
    assert "Confirm Form Resubmission" not in content and "ERR_CACHE_MISS" not in content
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _people_named(family_name: str):
    from caremap.core.extensions import db
    from caremap.people.models import Person

    return lambda: db.session.scalars(
        sa.select(Person.id).where(Person.family_name == family_name)
    ).all()


def test_back_and_forward_after_the_duplicate_warning_send_nothing_again(
    page: Page, register_person, in_database
) -> None:
    tag = unique_tag()
    register_person(
        "key_worker",
        given_name="Rosalind",
        family_name=f"Polglase{tag}",
        date_of_birth="1946-05-19",
    )
    typo = f"Polglaze{tag}"
    sign_in(page, "practitioner")
    log = Navigations(page)
    page.goto("/people/new")
    page.get_by_label("First name").fill("Rosalind")
    page.get_by_label("Last name").fill(typo)
    born = page.get_by_role("group", name="Date of birth")
    for part, value in (("Day", "19"), ("Month", "5"), ("Year", "1946")):
        born.get_by_label(part).fill(value)
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_text("This person may already have a record")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/people/new\?held=[\w-]+$"))
    assert typo not in page.url  # what was typed stays on the server
    assert_a_caremap_page(page, re.compile(r"^Register a person – caremap$"))
    axe_check(page)
    held_url = page.url
    mark = len(log.seen)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/people/new$"))
    assert_a_caremap_page(page, re.compile(r"^Register a person – caremap$"))
    page.go_forward()
    expect(page).to_have_url(held_url)
    expect(page.get_by_text("This person may already have a record")).to_be_visible()
    expect(page.get_by_label("Last name")).to_have_value(typo)
    assert_a_caremap_page(page, re.compile(r"^Register a person – caremap$"))
    assert log.posts_since(mark) == []
    assert in_database(_people_named(typo)) == []

    page.get_by_label("I have checked these records and none of them is this person").check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text(f"Rosalind {typo} is registered.")).to_be_visible()
    record_url = page.url
    assert len(in_database(_people_named(typo))) == 1
    mark = len(log.seen)

    # Back to the warning: it was used, and says so; nothing is registered again.
    page.go_back()
    expect(page).to_have_url(held_url)
    expect(page.get_by_text(GONE_WORDS)).to_be_visible()
    assert_a_caremap_page(page, re.compile(r"^Register a person – caremap$"))
    expect(page.get_by_label("Last name")).to_have_value("")
    axe_check(page)
    page.go_forward()
    expect(page).to_have_url(record_url)
    assert log.posts_since(mark) == []
    assert len(in_database(_people_named(typo))) == 1


def _referrals_of(person_id: int):
    from caremap.core.extensions import db
    from caremap.referrals.models import Referral

    return lambda: db.session.scalar(
        sa.select(sa.func.count()).select_from(Referral).where(Referral.person_id == person_id)
    )


def test_back_and_forward_after_the_referral_preview_send_nothing_again(
    page: Page, register_person, in_database
) -> None:
    family = f"Trevaskis{unique_tag()}"
    person_id = register_person(given_name="Edwin", family_name=family, date_of_birth="1940-08-02")
    title = re.compile(rf"^Make a referral – Edwin {family} – caremap$")
    sign_in(page, "practitioner")
    log = Navigations(page)
    page.goto(f"/people/{person_id}/refer")
    page.get_by_role("group", name="Needs").get_by_label(
        "Leaving hospital, needs support at home"
    ).check()
    discharge = page.get_by_role("group", name="Expected discharge date")
    today = dt.date.today()
    for part, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        discharge.get_by_label(part).fill(str(value))
    page.get_by_label("Ward they are leaving from").fill("Ward 7, Derriford")
    page.get_by_label("Urgent: within a couple of days").check()
    page.get_by_label("What is happening (optional)").fill("Home tomorrow after a fall.")
    page.get_by_role(
        "group", name="Has the person agreed to this referral being shared?"
    ).get_by_label("Yes").check()
    page.get_by_label("GP surgery").check()
    page.get_by_role("button", name="Preview where it goes").click()

    expect(page.locator("#check-answers")).to_contain_text("Home tomorrow after a fall.")
    expect(page.locator("#routing-preview")).to_contain_text("Reablement")
    expect(page).to_have_url(re.compile(rf"/people/{person_id}/refer\?held=[\w-]+$"))
    assert_a_caremap_page(page, title)
    axe_check(page)
    preview_url = page.url
    mark = len(log.seen)

    page.go_back()
    expect(page).to_have_url(re.compile(rf"/people/{person_id}/refer$"))
    assert_a_caremap_page(page, title)
    page.go_forward()
    expect(page).to_have_url(preview_url)
    expect(page.locator("#check-answers")).to_contain_text("Home tomorrow after a fall.")
    assert_a_caremap_page(page, title)
    assert log.posts_since(mark) == []
    assert in_database(_referrals_of(person_id)) == 0

    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Referral sent"))).to_be_visible()
    sent = in_database(_referrals_of(person_id))
    assert sent >= 1
    mark = len(log.seen)

    page.go_back()
    expect(page).to_have_url(preview_url)
    expect(page.get_by_text(GONE_WORDS)).to_be_visible()
    expect(page.locator("#check-answers")).to_have_count(0)
    assert_a_caremap_page(page, title)
    axe_check(page)
    page.go_forward()
    expect(page.get_by_role("heading", name=re.compile(r"^Referral sent"))).to_be_visible()
    assert log.posts_since(mark) == []
    assert in_database(_referrals_of(person_id)) == sent
