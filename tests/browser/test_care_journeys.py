"""Journeys of the single point of access and the care team, in the browser.

- A GP surgery worker refers an 85-year-old woman who lives alone, with breathing
  problems, high blood pressure, diabetes and five medicines, after a fall (the
  community strategy's example); the referral routes with its explanation; the
  reablement team accepts it, starts an episode and records its first contact.
- A key worker opens their caseload and completes a day-91 follow-up.
- An ED practitioner with no relationship breaks glass with a reason; an admin
  reviews it.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, fill_date, sign_in, sign_in_as, sign_out, unique_tag


def test_a_gp_refers_an_85_year_old_after_a_fall_and_reablement_starts(page: Page, live_app, staff):
    from caremap.core.extensions import db
    from caremap.people import operations
    from caremap.people.schemas import RegisterPersonArgs, StoryArgs

    gp = staff("practitioner", "gp-practices-plymouth")
    rea = staff("key_worker", "reablement-plymouth")
    family = f"Vosper{unique_tag()}"
    born = dt.date.today().replace(year=dt.date.today().year - 85) - dt.timedelta(days=30)
    with live_app.app_context():
        import sqlalchemy as sa

        from caremap.auth.models import User

        registrar = db.session.scalar(sa.select(User).where(User.email == gp))
        person = operations.register_person(
            actor=registrar,
            details=RegisterPersonArgs().load(
                {
                    "given_name": "Edna",
                    "family_name": family,
                    "date_of_birth": born.isoformat(),
                    "postcode": "PL6 5AA",
                    "confirm_no_duplicate": True,
                }
            ),
        )
        operations.add_story_version(
            actor=registrar,
            person=person,
            **StoryArgs().load(
                {
                    "text": "I live alone a few miles from my daughter. I have breathing "
                    "problems, high blood pressure and diabetes, and take five medicines. "
                    "I want to stay in my own home."
                }
            ),
        )
        db.session.commit()
        person_id = person.id

    sign_in_as(page, gp)
    page.goto(f"/people/{person_id}")
    page.get_by_role("link", name="Make a referral").click()
    expect(page.get_by_role("heading", name="Make a referral")).to_be_visible()
    axe_check(page)
    needs = page.get_by_role("group", name="Needs")
    for label in (
        "Leaving hospital, needs support at home",
        "Has fallen, or at risk of falling",
        "Concern about medicines (many medicines, side effects, not taking them)",
    ):
        needs.get_by_label(label).check()
    discharge = page.get_by_role("group", name="Expected discharge date")
    today = dt.date.today()
    for part, value in (("Day", today.day), ("Month", today.month), ("Year", today.year)):
        discharge.get_by_label(part).fill(str(value))
    page.get_by_label("Ward they are leaving from").fill("Ward 5, Derriford")
    page.get_by_label("Urgent: within a couple of days").check()
    page.get_by_label("What is happening (optional)").fill(
        "Home today after a fall; struggling on the stairs."
    )
    page.get_by_role(
        "group", name="Has the person agreed to this referral being shared?"
    ).get_by_label("Yes").check()
    page.get_by_label("GP surgery").check()
    page.get_by_role("button", name="Preview where it goes").click()

    # Check your answers: what was said, and where it will go, before it is sent.
    answers = page.locator("#check-answers")
    expect(answers).to_contain_text("Leaving hospital, needs support at home")
    expect(answers).to_contain_text("Urgent: within a couple of days")
    expect(answers).to_contain_text("Home today after a fall")
    expect(answers).to_contain_text("GP surgery")
    expect(answers).to_contain_text("Ward 5, Derriford")
    preview = page.locator("#routing-preview")
    expect(preview).to_contain_text("Reablement")
    expect(preview).to_contain_text("rule discharge_65_reablement, version 1")
    expect(preview).to_contain_text("age 85 is 65 or over")
    # Words, not codes: the need's label, never hospital_discharge.
    expect(preview).to_contain_text("needs include “Leaving hospital, needs support at home”")
    expect(preview).not_to_contain_text("hospital_discharge")
    expect(preview).to_contain_text("Pharmacist medication review")
    axe_check(page)
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("heading", name="Referral sent to 3 services")).to_be_visible()
    expect(page.get_by_role("heading", name="Why it came here")).to_be_visible()
    parts = page.locator("#referral-parts")
    expect(parts).to_contain_text("went to 3 services at once")
    axe_check(page)
    # The other part, linked from this one, links back; both are under Referrals I made.
    parts.get_by_role("link", name="Pharmacist medication review").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_have_count(0)
    page.locator("#referral-parts").get_by_role("link", name="Reablement").click()
    page.get_by_role("link", name="Referrals I made").click()
    mine = page.locator("#referrals-mine")
    expect(mine).to_contain_text(f"Edna {family}")
    expect(mine).to_contain_text("Also sent to Reablement, Rapid response")
    axe_check(page)
    sign_out(page)

    # The reablement team finds it in their queue: the referral, enough to decide, but not
    # the record until they accept; then the person's story: nobody asks again.
    sign_in_as(page, rea)
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_role("heading", name="Reablement: referrals")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name=f"Edna {family}").click()
    expect(
        page.get_by_text("needs include “Leaving hospital, needs support at home”")
    ).to_be_visible()
    expect(page.get_by_text("Accept the referral to see the person's record")).to_be_visible()
    expect(page.locator("#my-story")).to_have_count(0)
    axe_check(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", name="Start the episode of care")).to_be_visible()
    expect(page.locator("#my-story")).to_contain_text("I want to stay in my own home")
    axe_check(page)
    expect(page.get_by_label("Reablement", exact=True)).to_be_checked()
    discharged = dt.date.today() - dt.timedelta(days=1)
    fill_date(page, "Hospital discharge date (reablement only)", discharged)
    page.get_by_role("button", name="Start the episode").click()
    summary = page.locator("#episode-summary")
    expect(summary).to_contain_text("Reablement episode started")
    due = discharged + dt.timedelta(days=91)
    expect(summary).to_contain_text(f"day-91 follow-up due {due.day} {due.strftime('%B %Y')}")
    expect(page.get_by_role("heading", name=re.compile("Reablement: active"))).to_be_visible()
    axe_check(page)

    # The first phone call is recorded; a day before the referral came in is refused, named.
    page.get_by_text("Record first contact with the person").click()
    here = dt.datetime.now(ZoneInfo("Europe/London"))
    fill_date(page, "Date contact was made (if not today)", here.date() - dt.timedelta(days=1))
    page.get_by_role("button", name="Record first contact").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "must not be before the referral was received"
    )
    axe_check(page)
    fill_date(page, "Date contact was made (if not today)", here.date())
    page.get_by_label("Time contact was made").fill(here.strftime("%H:%M"))
    page.get_by_role("button", name="Record first contact").click()
    expect(page.get_by_text("First contact is recorded.")).to_be_visible()
    expect(page.get_by_role("button", name="Record first contact")).to_have_count(0)
    axe_check(page)


def test_a_key_worker_opens_their_caseload_and_completes_a_day_91_follow_up(
    page: Page, live_app, staff
):
    import sqlalchemy as sa

    from caremap.auth.models import User
    from caremap.careteam.operations import assign_lead_key_worker
    from caremap.core.extensions import db
    from caremap.people import operations
    from caremap.people.schemas import RegisterPersonArgs
    from caremap.referrals import operations as referrals
    from caremap.referrals.schemas import ReferralArgs

    rea = staff("key_worker", "reablement-plymouth")
    ward = staff("practitioner", "spa-triage")  # whoever refers may not accept
    family = f"Truscott{unique_tag()}"
    discharged = dt.date.today() - dt.timedelta(days=95)
    with live_app.app_context():
        worker = db.session.scalar(sa.select(User).where(User.email == rea))
        referrer = db.session.scalar(sa.select(User).where(User.email == ward))
        person = operations.register_person(
            actor=worker,
            details=RegisterPersonArgs().load(
                {
                    "given_name": "Albert",
                    "family_name": family,
                    "date_of_birth": "1936-04-04",
                    "confirm_no_duplicate": True,
                }
            ),
        )
        submission, _ = referrals.submit_referral(
            actor=referrer,
            person=person,
            args=ReferralArgs().load(
                {
                    "person_id": person.id,
                    "source": "hospital",
                    "referrer_name": "Ward 9",
                    "referrer_contact": "x",
                    "needs": ["hospital_discharge"],
                    "urgency": "urgent",
                    "consent_to_share": True,
                }
            ),
        )
        referral = submission.referrals[0]
        referrals.accept_referral(
            actor=worker,
            referral=referral,
            version=referral.version,
            start_episode_details={"started_on": discharged, "discharged_on": discharged},
        )
        assign_lead_key_worker(actor=worker, person=person, worker=worker)
        db.session.commit()
        referral_id = referral.id

    sign_in_as(page, rea)
    caseload = page.get_by_role("table", name="Your caseload")
    expect(caseload).to_contain_text(f"Albert {family}")
    expect(caseload).to_contain_text("Day-91 reablement follow-up")
    expect(caseload).to_contain_text("(overdue)")
    axe_check(page)
    page.get_by_role("link", name="Tasks", exact=True).click()
    card = page.locator(".govuk-summary-card", has_text=f"Albert {family}").filter(
        has_text="Where is the person 91 days after discharge?"
    )
    expect(card).to_contain_text("Overdue")
    due = discharged + dt.timedelta(days=91)
    expect(card).to_contain_text(f"At home can be recorded from {due.day} {due:%B %Y}")
    axe_check(page)
    card.get_by_label("At home (own home, extra care housing or an adult placement)").check()
    card.get_by_role("button", name=re.compile("Mark done")).click()
    expect(
        page.get_by_text("Done: Where is the person 91 days after discharge?", exact=True)
    ).to_be_visible()
    page.goto(f"/referrals/{referral_id}")
    expect(page.locator("#episode-summary")).to_contain_text("at home")


def test_an_ed_practitioner_breaks_glass_and_an_admin_reviews_it(
    page: Page, register_person, staff
):
    ed = staff("practitioner", "emergency-department")
    family = f"Kessell{unique_tag()}"
    person_id = register_person("key_worker", given_name="Morwenna", family_name=family)

    sign_in_as(page, ed)
    page.goto(f"/people/{person_id}")
    expect(page.get_by_text("You can see who this is, but not their record")).to_be_visible()
    page.get_by_role("link", name="Emergency access").click()
    axe_check(page)
    page.get_by_label("Why you need to see this record now").fill(
        "Brought in unconscious; need her medicines and allergies"
    )
    page.get_by_role("button", name="Open the record in an emergency").click()
    banner = page.get_by_role("region", name="Emergency access")
    expect(banner).to_contain_text("You broke glass to see this record")
    expect(banner).to_contain_text("Brought in unconscious")
    expect(page.get_by_role("heading", name="My story")).to_be_visible()
    axe_check(page)
    sign_out(page)

    sign_in(page, "admin")
    page.get_by_role("link", name="Break-glass review").click()
    card = page.locator(".govuk-summary-card", has_text="Brought in unconscious")
    # Whose record was opened, by whom, why; the outcome is asked for.
    expect(card.get_by_role("heading")).to_have_text(
        re.compile(f"opened Morwenna {family}'s record")
    )
    expect(card).to_contain_text("Emergency department")
    axe_check(page)
    card.get_by_label("Review note").fill("Checked with the ED consultant: justified.")
    card.get_by_role("button", name=re.compile("Record the review")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Was the emergency access appropriate?"
    )
    axe_check(page)
    card = page.locator(".govuk-summary-card", has_text="Brought in unconscious")
    card.get_by_label(re.compile("^Appropriate")).check()
    card.get_by_label("Review note").fill("Checked with the ED consultant: justified.")
    card.get_by_role("button", name=re.compile("Record the review")).click()
    expect(page.get_by_text("Reviewed.", exact=True)).to_be_visible()
    card = page.locator(".govuk-summary-card", has_text="Brought in unconscious")
    expect(card).to_contain_text("Checked with the ED consultant")
    expect(card).to_contain_text("Appropriate: the reason was a real need")
