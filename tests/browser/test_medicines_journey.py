"""A pharmacist records an 85-year-old's sixth medicine; the polypharmacy flag and the
review task appear; the review is recorded and the task closes."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, fill_date, sign_in_as, unique_tag


def test_sixth_medicine_flag_review_task_closed(page: Page, live_app, staff):
    import sqlalchemy as sa

    from caremap.auth.models import User
    from caremap.core.extensions import db
    from caremap.medicines import operations as medicines
    from caremap.medicines.schemas import MedicineArgs
    from caremap.people import operations as people
    from caremap.people.schemas import RegisterPersonArgs

    pharmacist = staff("practitioner", "pharmacist-medication-review")
    family = f"Rundle{unique_tag()}"
    born = dt.date.today().replace(year=dt.date.today().year - 85) - dt.timedelta(days=10)
    with live_app.app_context():
        me = db.session.scalar(sa.select(User).where(User.email == pharmacist))
        person = people.register_person(
            actor=me,
            details=RegisterPersonArgs().load(
                {
                    "given_name": "Dorcas",
                    "family_name": family,
                    "date_of_birth": born.isoformat(),
                    "confirm_no_duplicate": True,
                }
            ),
        )
        for name in ("Metformin", "Ramipril", "Atorvastatin", "Salbutamol", "Aspirin"):
            medicines.record_medicine(
                actor=me,
                person=person,
                details=MedicineArgs().load(
                    {
                        "name": name,
                        "dose": "1 dose",
                        "route": "oral",
                        "frequency": "daily",
                        "started_on": "2026-01-01",
                        "source": "gp_record",
                    }
                ),
            )
        db.session.commit()
        person_id = person.id

    sign_in_as(page, pharmacist)
    page.goto(f"/people/{person_id}/medicines")
    header = page.locator("#person-header")
    expect(header).to_contain_text("Polypharmacy: 5 medicines")
    axe_check(page)
    page.get_by_label("Medicine", exact=True).fill("Furosemide")
    page.get_by_label("Dose", exact=True).fill("40 mg")
    page.get_by_role("group", name="Route").get_by_label("Oral").check()
    page.get_by_label("How often").fill("every morning")
    fill_date(page, "Started on", dt.date.today())
    page.get_by_role("group", name="Where this comes from").get_by_label("Pharmacist").check()
    page.get_by_role("button", name="Record the medicine").click()
    expect(page.get_by_text("Furosemide is recorded.")).to_be_visible()
    expect(header).to_contain_text("Polypharmacy: 6 medicines")

    # The same medicine again (another case) is not counted twice without a confirmation.
    page.get_by_label("Medicine", exact=True).fill("furosemide")
    page.get_by_label("Dose", exact=True).fill("40 mg")
    page.get_by_role("group", name="Route").get_by_label("Oral").check()
    page.get_by_label("How often").fill("every morning")
    fill_date(page, "Started on", dt.date.today())
    page.get_by_role("group", name="Where this comes from").get_by_label("Pharmacist").check()
    page.get_by_role("button", name="Record the medicine").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is already taken")
    expect(page.get_by_label("Yes, this is a second course of the same medicine")).to_be_visible()
    expect(header).to_contain_text("Polypharmacy: 6 medicines")
    axe_check(page)

    page.get_by_role("link", name="Tasks", exact=True).click()
    card = page.locator(".govuk-summary-card", has_text=f"Dorcas {family}")
    expect(card).to_contain_text("Medication review")
    # No plain "Mark done": the review is recorded, or said not to be needed, and why.
    expect(card.get_by_role("button", name=re.compile("Mark done"))).to_have_count(0)
    card.get_by_role("button", name=re.compile("Close: review not needed")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Record what the medication review decided"
    )
    axe_check(page)

    page.goto(f"/people/{person_id}/medicines")
    page.get_by_role("group", name="Medicines stopped at the review").get_by_label(
        "Aspirin 1 dose"
    ).check()
    page.get_by_label("Outcome").fill("Stopped aspirin: no indication. Fewer tablets each morning.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("The medication review is recorded.")).to_be_visible()
    expect(header).to_contain_text("Polypharmacy: 5 medicines")
    expect(page.locator("#reviews")).to_contain_text("Stopped aspirin")
    axe_check(page)

    page.get_by_role("link", name="Tasks", exact=True).click()
    expect(page.locator(".govuk-summary-card", has_text=f"Dorcas {family}")).to_have_count(0)
