"""The safeguarding pages about one person read as every page about a person does: the
person's header, a back link, the person as a link (never as escaped HTML), no literal
'None' anywhere, and axe-core finds nothing. Seen by the lead (the concern), the worker
given an action (the brief) and the worker who raised it (their list)."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.safeguarding.operations import add_action, raise_concern
from caremap.safeguarding.schemas import RaiseConcernArgs
from tests.browser.helpers import axe_check, sign_in, sign_in_as, sign_out, unique_tag
from tests.conftest import user
from tests.factories import concern_details, make_enquiry


def _reads_as_a_page_about(page: Page, name: str, back: str) -> None:
    header = page.locator("#person-header")
    expect(header.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(name)))
    expect(page.locator(".govuk-back-link")).to_have_text(back)
    link = page.locator("main").get_by_role("link", name=name, exact=True)
    expect(link.first).to_have_attribute("href", re.compile(r"^/people/\d+$"))
    body = page.locator("main").inner_text()
    assert "<a" not in body and "&lt;" not in body and "&#39;" not in body
    assert not re.search(r"\bNone\b", body), body
    axe_check(page)


def test_the_concern_the_brief_and_the_list_carry_the_person(
    page: Page, register_person, staff, in_database
):
    owner = staff("key_worker", "complex-needs-hub")
    family = f"O'Rourke{unique_tag()}"
    name = f"Morwenna {family}"
    person_id = register_person("key_worker", given_name="Morwenna", family_name=family)

    def open_enquiry_with_an_action():
        person = db.session.get(Person, person_id)
        concern = raise_concern(
            actor=user("practitioner"),
            person=person,
            # Not asked, and no capacity note: the blanks a page once filled with 'None'.
            details=RaiseConcernArgs().load(
                concern_details(
                    person_wishes=None, wishes_not_asked_reason="She was asleep when we called"
                )
            ),
        )
        enquiry = make_enquiry(concern)
        owner_id = db.session.scalar(sa.select(User.id).where(User.email == owner))
        add_action(
            actor=user("safeguarding_lead"),
            enquiry=enquiry,
            description="Visit with the district nurse",
            owner_id=owner_id,
            due_on=dt.date.today() + dt.timedelta(days=3),
        )
        db.session.commit()
        return concern.id

    concern_id = in_database(open_enquiry_with_an_action)

    sign_in(page, "safeguarding_lead")
    page.goto(f"/safeguarding/concerns/{concern_id}")
    _reads_as_a_page_about(page, name, "Back to safeguarding")
    expect(page.locator("#enquiry-risks")).to_contain_text("Neglect and acts of omission")
    page.locator(".govuk-back-link").click()
    expect(page).to_have_url(re.compile(r"/safeguarding$"))
    sign_out(page)

    sign_in_as(page, owner)
    page.goto(f"/safeguarding/concerns/{concern_id}")
    expect(page.get_by_role("heading", name="Your part in the enquiry")).to_be_visible()
    _reads_as_a_page_about(page, name, "Back to your safeguarding work")
    sign_out(page)

    sign_in(page, "practitioner")
    page.goto("/safeguarding/mine")
    row = page.locator("#my-concerns tr", has_text=family)
    expect(row.get_by_role("link", name=name, exact=True)).to_have_attribute(
        "href", f"/people/{person_id}"
    )
    assert not re.search(r"\bNone\b", page.locator("main").inner_text())
    axe_check(page)
