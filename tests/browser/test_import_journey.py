"""An admin uploads a people extract, reads the summary and the error report's rows,
then decides the row held as a likely match on the queue."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import axe_check, sign_in, unique_tag


def test_upload_then_decide_a_held_row(page: Page, live_app, tmp_path):
    import sqlalchemy as sa

    from caremap.auth.models import User
    from caremap.core.extensions import db
    from caremap.imports.formats import PEOPLE_COLUMNS
    from caremap.people import operations as people
    from caremap.people.schemas import RegisterPersonArgs
    from tests.imports.helpers import csv_bytes

    family = f"Import{unique_tag()}"
    with live_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.email == "admin@test.example"))
        existing = people.register_person(
            actor=admin,
            details=RegisterPersonArgs().load(
                {
                    "given_name": "Tamsyn",
                    "family_name": family,
                    "date_of_birth": "1944-04-04",
                    "postcode": "TR1 1AA",
                    "confirm_no_duplicate": True,
                }
            ),
        )
        db.session.commit()
        local_ref = existing.local_ref
    system = f"urn:test:{family.lower()}"
    rows = [
        {
            "source_system": system,
            "source_id": "1",
            "given_name": "Tamsin",
            "family_name": family,
            "date_of_birth": "1944-04-04",
            "postcode": "PL1 2AA",
        },
        {
            "source_system": system,
            "source_id": "2",
            "given_name": "Ezra",
            "family_name": f"{family}x",
            "date_of_birth": "1950-13-01",
        },
    ]
    path = tmp_path / "extract.csv"
    path.write_bytes(csv_bytes(rows, PEOPLE_COLUMNS))

    sign_in(page, "admin")
    page.goto("/admin/imports")
    axe_check(page)
    page.get_by_label("People", exact=True).check()
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name=re.compile("extract.csv"))).to_be_visible()
    summary = page.locator("#import-summary")
    expect(summary).to_contain_text("Held")
    expect(page.locator("#import-problems")).to_contain_text("date_of_birth")
    axe_check(page)

    page.get_by_role("link", name="Bulk import").click()
    page.get_by_role("link", name=re.compile("held rows waiting")).click()
    row = page.locator("section", has_text=f"Tamsin {family}")
    expect(row).to_contain_text("similar name, same date of birth")
    expect(row).to_contain_text(local_ref)
    axe_check(page)
    row.get_by_role("button", name=re.compile(f"Link line 2 to record {local_ref}")).click()
    expect(page.get_by_text("Linked to the existing record.")).to_be_visible()
    expect(page.locator("section", has_text=f"Tamsin {family}")).to_have_count(0)
