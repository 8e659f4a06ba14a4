"""A home-care worker raises a concern about financial abuse (written up two days after it
was raised); a safeguarding lead triages it into a section 42 enquiry, adds an action, and
closes it with what the Safeguarding Adults Collection asks: a risk identified and action
taken, risk reduced, capacity, outcomes asked and partly achieved. And a key worker given an
action finds it on their task list, reads what the lead shared, and ticks it done there."""

from __future__ import annotations

import datetime as dt
import re

import sqlalchemy as sa
from playwright.sync_api import Page, expect

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.safeguarding.models import Concern, EnquiryAction
from caremap.safeguarding.operations import raise_concern
from caremap.safeguarding.schemas import RaiseConcernArgs
from tests.browser.helpers import (
    axe_check,
    fill_date,
    sign_in,
    sign_in_as,
    sign_out,
    unique_tag,
)
from tests.conftest import user
from tests.factories import concern_details, make_enquiry


def test_financial_abuse_from_concern_to_concluded_enquiry(page: Page, register_person, staff):
    carer = staff("practitioner", "home-care-long-term-plymouth")
    family = f"Polglase{unique_tag()}"
    person_id = register_person("key_worker", given_name="Winifred", family_name=family)

    sign_in_as(page, carer)
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Raise a safeguarding concern").click()
    axe_check(page)
    page.get_by_role("group", name="What kind of abuse or neglect?").get_by_label(
        "Financial or material"
    ).check()
    page.get_by_label("What happened, or what you saw or were told").fill(
        "Her grandson collects her pension and she has had no shopping for a week."
    )
    page.get_by_role("group", name="Where is the risk?").get_by_label("Own home").check()
    page.get_by_role("group", name="Who or what is the risk from?").get_by_label(
        "Other – known to the individual"
    ).check()
    page.get_by_label("What have you done to make the person safe now?").fill(
        "Did a food shop with her today."
    )
    page.get_by_label("What does the person want to happen?").fill(
        "I want my money back but not the police."
    )
    page.get_by_role("group", name="Does the person need an advocate to take part?").get_by_label(
        "No"
    ).check()
    page.get_by_role(
        "group", name="Mental capacity to make decisions about their safety"
    ).get_by_label("Has capacity").check()
    raised_on = dt.date.today() - dt.timedelta(days=2)
    fill_date(page, "Date the concern was raised", raised_on)
    page.get_by_role("button", name="Raise the concern").click()
    expect(page.get_by_text(re.compile(r"Concern S\w+ is raised"))).to_be_visible()
    expect(page.locator("#my-concerns")).to_contain_text(f"Winifred {family}")
    expect(page.locator("#my-concerns")).to_contain_text("Awaiting triage")
    axe_check(page)
    sign_out(page)

    sign_in(page, "safeguarding_lead")
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(f"Winifred {family}")).click()
    expect(page.get_by_text("Her grandson collects her pension")).to_be_visible()
    expect(page.get_by_text(f"{raised_on.day} {raised_on:%B %Y}, recorded on")).to_be_visible()
    axe_check(page)
    for legend in (
        "Does the person have needs for care and support?",
        "Are they experiencing, or at risk of, abuse or neglect?",
        "Because of those needs, are they unable to protect themselves?",
    ):
        page.get_by_role("group", name=legend).get_by_label("Yes").check()
    page.get_by_role("group", name="Decision").get_by_label("Section 42 enquiry").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("heading", name="Section 42 enquiry: open")).to_be_visible()
    axe_check(page)

    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Arrange an appointee for her pension")
    page.get_by_label("Owner", exact=True).select_option(
        label="Test Safeguarding Lead, Safeguarding adults team"
    )
    due = dt.date.today() + dt.timedelta(days=14)
    group = page.get_by_role("group", name="Due")
    group.get_by_label("Day").fill(str(due.day))
    group.get_by_label("Month").fill(str(due.month))
    group.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name="Add the action").click()
    actions = page.locator("#enquiry-actions")
    expect(actions).to_contain_text("Arrange an appointee for her pension")
    actions.get_by_role("button", name=re.compile("Mark done")).click()
    expect(page.get_by_text("The action is done.")).to_be_visible()

    # The risk the concern named is on the enquiry already; the lead adds the one found.
    risks = page.locator("#enquiry-risks")
    expect(risks).to_contain_text("Financial or material abuse")
    page.get_by_text("Record a risk the enquiry looks into").click()
    page.get_by_label("Type of risk").select_option(label="Psychological abuse")
    page.get_by_label("Where the risk was").select_option(label="Own home")
    page.get_by_label("Whom the risk came from").select_option(
        label="Other – known to the individual"
    )
    page.get_by_role("button", name="Record the risk").click()
    expect(risks).to_contain_text("Psychological abuse")

    # Concluding without the collection's answers names each question left.
    page.get_by_role("button", name="Conclude the enquiry").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose whether a risk was identified and action taken")
    expect(summary).to_contain_text("Choose whether the person was asked what outcomes")
    axe_check(page)
    page.get_by_role("group", name="Was a risk identified, and was action taken?").get_by_label(
        "Risk identified and action taken", exact=True
    ).check()
    page.get_by_role("group", name="What happened to the risk?").get_by_label(
        "Risk reduced"
    ).check()
    page.get_by_role(
        "group", name="Did the person lack capacity to make decisions about the enquiry?"
    ).get_by_label("No, they did not lack capacity").check()
    page.get_by_role(
        "group", name="Was the person, or their representative, asked what outcomes they wanted?"
    ).get_by_label("Yes, they were asked and outcomes were expressed").check()
    page.get_by_role("group", name="Were the outcomes they wanted achieved?").get_by_label(
        "Partially achieved"
    ).check()
    page.get_by_role("button", name="Conclude the enquiry").click()
    expect(page.get_by_text("The enquiry is concluded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Section 42 enquiry: concluded")).to_be_visible()
    outcome = page.locator("#enquiry-outcome")
    expect(outcome).to_contain_text("Risk identified and action taken")
    expect(outcome).to_contain_text("Risk reduced")
    expect(outcome).to_contain_text("Partially achieved")
    axe_check(page)


def test_an_action_reaches_its_owner_who_ticks_it_done_on_their_task_list(
    page: Page, register_person, staff, in_database
):
    owner = staff("key_worker", "complex-needs-hub")
    family = f"Trevithick{unique_tag()}"
    person_id = register_person("key_worker", given_name="Loveday", family_name=family)

    def open_enquiry():
        person = db.session.get(Person, person_id)
        concern = raise_concern(
            actor=user("practitioner"),
            person=person,
            details=RaiseConcernArgs().load(concern_details(what_happened="Neighbour took keys")),
        )
        make_enquiry(concern)
        db.session.commit()
        owner_id = db.session.scalar(sa.select(User.id).where(User.email == owner))
        return concern.id, owner_id

    concern_id, owner_id = in_database(open_enquiry)

    sign_in(page, "safeguarding_lead")
    page.goto(f"/safeguarding/concerns/{concern_id}")
    page.get_by_text("Change what the action owners read").click()
    page.get_by_label("What the action owners may read").fill(
        "Her keys are with a neighbour she does not trust."
    )
    page.get_by_role("button", name="Share with the action owners").click()
    expect(page.get_by_text("The summary is shared with the action owners.")).to_be_visible()
    page.get_by_text("Add an action").click()
    page.get_by_label("Action", exact=True).fill("Get her locks changed")
    page.get_by_label("Owner", exact=True).select_option(value=str(owner_id))
    fill_date(page, "Due", dt.date.today() + dt.timedelta(days=5))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("is on its owner's task list")).to_be_visible()
    axe_check(page)
    sign_out(page)

    sign_in_as(page, owner)
    page.get_by_role("link", name="Safeguarding", exact=True).click()
    actions = page.locator("#my-actions")
    expect(actions).to_contain_text("Get her locks changed")
    axe_check(page)
    actions.get_by_role("link", name=re.compile(f"Loveday {family}")).click()
    expect(page.get_by_text("Her keys are with a neighbour she does not trust.")).to_be_visible()
    expect(page.get_by_text("Neighbour took keys")).to_have_count(0)
    axe_check(page)

    page.goto("/tasks")
    card = page.locator(".govuk-summary-card", has_text=f"Loveday {family}")
    expect(card).to_contain_text("Safeguarding enquiry action")
    card.get_by_role("button", name=re.compile("Mark done")).click()
    expect(page.get_by_text(re.compile("Done: Safeguarding action"))).to_be_visible()

    def action_done():
        concern = db.session.get(Concern, concern_id)
        action = db.session.scalar(
            sa.select(EnquiryAction).where(EnquiryAction.enquiry_id == concern.enquiry.id)
        )
        return action.done_at is not None and action.done_by_id == owner_id

    assert in_database(action_done)
