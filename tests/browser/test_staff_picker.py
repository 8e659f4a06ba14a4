"""The staff pickers in a browser: type part of a name, pick from the list, post the id.

The care team's "Worker" and the handover's "Hand every person on to" are type-aheads
(accessible-autocomplete, fed by /care-team/staff); without JavaScript the same box
and its Find button list the matches as radios. axe-core runs on every page, with the
suggestions open too, and both pages fit a phone.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag
from tests.conftest import PASSWORD

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def named_staff(live_app):
    """Commit a member of staff with a name of our choosing; returns their id."""
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    def make(full_name: str, role: str = "practitioner", team: str = "spa-triage") -> int:
        with live_app.app_context():
            user = create_user(
                actor=None,
                email=re.sub(r"\W+", ".", full_name.lower()) + "@test.example",
                full_name=full_name,
                role=role,
                team=team,
                password=PASSWORD,
            )
            db.session.commit()
            return user.id

    return make


def _care_team_names(in_database, person_id: int) -> list[str]:
    from caremap.careteam import queries

    return in_database(
        lambda: [m.user.full_name for m in queries.care_team(person_id, include_ended=False)]
    )


def _suggestions(page: Page, box: str):
    """The type-ahead's suggestions under a box (not the options of a select nearby)."""
    return page.locator(f"#{box}__listbox").get_by_role("option")


def _document_width(page: Page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_a_worker_found_by_part_of_their_name_joins_the_care_team(
    page: Page, register_person, named_staff, in_database
) -> None:
    tag = unique_tag()
    named_staff(f"Senara Typeahead{tag}")
    named_staff(f"Senara Typeaheadtwin{tag}")
    person = register_person("key_worker", given_name="Jowan", family_name=f"Pickme{tag}")

    sign_in(page, "key_worker")
    page.goto(f"/people/{person}/care-team")
    worker = page.get_by_role("combobox", name="Worker", exact=True)
    expect(worker).to_be_visible()
    expect(page.get_by_role("button", name="Find worker")).to_have_count(0)  # JS took over
    axe_check(page)

    worker.press_sequentially("senara typea", delay=20)
    wanted = _suggestions(page, "worker").filter(has_text=re.compile(rf"^Senara Typeahead{tag}, "))
    expect(wanted).to_be_visible()
    expect(_suggestions(page, "worker")).to_have_count(2)
    axe_check(page)  # the suggestions open
    wanted.click()
    expect(worker).to_have_value(f"Senara Typeahead{tag}")
    page.get_by_label("Their role for this person").fill("Occupational therapist")
    page.get_by_role("button", name="Add to the care team").click()

    expect(page.get_by_text("Added to the care team.")).to_be_visible()
    team = page.get_by_role("table").first
    expect(team).to_contain_text(f"Senara Typeahead{tag}")
    expect(team).to_contain_text("Occupational therapist")
    axe_check(page)
    assert _care_team_names(in_database, person) == [f"Senara Typeahead{tag}"]


def test_typing_a_name_but_not_choosing_asks_for_the_choice(
    page: Page, register_person, named_staff, in_database
) -> None:
    tag = unique_tag()
    named_staff(f"Gwithian Unpicked{tag}")
    person = register_person("key_worker", given_name="Jenna", family_name=f"Unchosen{tag}")
    sign_in(page, "key_worker")
    page.goto(f"/people/{person}/care-team")
    page.get_by_role("combobox", name="Worker", exact=True).fill(f"unpicked{tag}")
    page.get_by_label("Their role for this person").fill("GP")
    page.get_by_role("button", name="Add to the care team").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the worker from the list")
    # The matches are listed as radios; choosing one there adds them.
    page.get_by_role("radio", name=re.compile(rf"^Gwithian Unpicked{tag}, ")).check()
    axe_check(page)
    page.get_by_role("button", name="Add to the care team").click()
    expect(page.get_by_text("Added to the care team.")).to_be_visible()
    assert _care_team_names(in_database, person) == [f"Gwithian Unpicked{tag}"]


def test_a_caseload_is_handed_to_a_key_worker_found_by_name(
    page: Page, live_app, register_person, named_staff, in_database
) -> None:
    from caremap.auth.models import User
    from caremap.careteam.operations import active_lead, assign_lead_key_worker
    from caremap.core.extensions import db
    from caremap.people.models import Person

    tag = unique_tag()
    leaving = named_staff(f"Loveday Leaving{tag}", "key_worker", "complex-needs-hub")
    taker = named_staff(f"Loveday Taking{tag}", "key_worker", "complex-needs-hub")
    named_staff(f"Loveday Nolead{tag}")  # a practitioner cannot lead: not offered
    person = register_person("key_worker", given_name="Cador", family_name=f"Handed{tag}")

    def lead_it() -> None:
        assign_lead_key_worker(
            actor=db.session.get(User, leaving),
            person=db.session.get(Person, person),
            worker=db.session.get(User, leaving),
        )
        db.session.commit()

    in_database(lead_it)

    sign_in(page, "admin")
    page.goto(f"/users/{leaving}/hand-over")
    to = page.get_by_role("combobox", name="Hand every person on to (optional)")
    expect(to).to_be_visible()
    axe_check(page)
    to.press_sequentially(f"loveday {tag}".lower(), delay=20)
    option = _suggestions(page, "to_worker").filter(has_text=re.compile(rf"^Loveday Taking{tag}, "))
    expect(option).to_be_visible()
    expect(_suggestions(page, "to_worker")).to_have_count(1)  # not the leaver, nor a practitioner
    axe_check(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the keyboard chooses as well as the mouse
    expect(to).to_have_value(f"Loveday Taking{tag}")
    page.get_by_label("Why").fill("Leaving the service")
    page.get_by_role("button", name="Hand over the whole caseload").click()

    expect(page.get_by_text("1 people handed on.")).to_be_visible()
    axe_check(page)
    assert in_database(lambda: active_lead(person).user_id) == taker


def test_without_javascript_find_lists_the_matches_to_choose_from(
    browser: Browser, base_url: str, register_person, named_staff, in_database
) -> None:
    tag = unique_tag()
    named_staff(f"Hedra Nojs{tag}")
    person = register_person("key_worker", given_name="Elowen", family_name=f"Noscript{tag}")
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "key_worker")
        page.goto(f"/people/{person}/care-team")
        page.get_by_role("textbox", name="Worker", exact=True).fill(f"nojs{tag}")
        page.get_by_role("button", name="Find worker").click()
        expect(page.get_by_text(f"1 person matches “nojs{tag}”")).to_be_visible()
        page.get_by_role("radio", name=re.compile(rf"^Hedra Nojs{tag}, ")).check()
        page.get_by_label("Their role for this person").fill("Support worker")
        page.get_by_role("button", name="Add to the care team").click()
        expect(page.get_by_text("Added to the care team.")).to_be_visible()
    finally:
        context.close()
    assert _care_team_names(in_database, person) == [f"Hedra Nojs{tag}"]


def test_the_pickers_fit_a_phone(page: Page, register_person, named_staff, in_database) -> None:
    import sqlalchemy as sa

    from caremap.auth.models import User
    from caremap.core.extensions import db

    tag = unique_tag()
    named_staff(f"Kitto Narrowscreen{tag}withaverylongfamilyname")
    person = register_person("key_worker", given_name="Ia", family_name=f"Phone{tag}")
    me = in_database(
        lambda: db.session.scalar(sa.select(User.id).where(User.email == "key_worker@test.example"))
    )
    sign_in(page, "key_worker")  # on a wide screen, where Sign out is in view
    page.set_viewport_size(PHONE)
    for path in (f"/people/{person}/care-team", f"/users/{me}/hand-over"):
        page.goto(path)
        assert _document_width(page) <= PHONE["width"], path
        axe_check(page)
    page.goto(f"/people/{person}/care-team")
    page.get_by_role("combobox", name="Worker", exact=True).press_sequentially(
        f"narrowscreen{tag}".lower(), delay=20
    )
    expect(_suggestions(page, "worker")).to_have_count(1)
    assert _document_width(page) <= PHONE["width"], "the suggestions widen the page"
    axe_check(page)


def test_triage_finds_a_lead_key_worker_by_name(
    page: Page, register_person, named_staff, in_database
) -> None:
    """A service with no key workers of its own (triage) finds one by name."""
    from caremap.careteam.operations import active_lead

    tag = unique_tag()
    leader = named_staff(f"Piran Leadahead{tag}", "key_worker", "reablement-plymouth")
    person = register_person("practitioner", given_name="Tressa", family_name=f"Led{tag}")
    sign_in(page, "practitioner")
    page.goto(f"/people/{person}/care-team")
    lead = page.get_by_role("combobox", name="Lead key worker", exact=True)
    lead.press_sequentially(f"leadahead{tag}".lower(), delay=20)
    option = _suggestions(page, "lead_worker").filter(has_text=f"Piran Leadahead{tag}")
    expect(option).to_have_count(1)
    axe_check(page)
    option.click()
    page.get_by_role("button", name="Make lead key worker").click()
    expect(page.get_by_text("The lead key worker is set.")).to_be_visible()
    axe_check(page)
    assert in_database(lambda: active_lead(person).user_id) == leader
