"""The returns' pages over real HTTP: who may see them, bad input, the records to fix
(linked only where the viewer may open the record), the files, and their audit rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.returns import rules
from tests.conftest import audit_rows, text_of, user
from tests.factories import add_to_care_team
from tests.returns import records
from tests.returns.records import QUARTER


@pytest.fixture
def failing(app):
    """One person whose planned review has no outcomes achieved (a failing row); returns
    the person's id and name."""
    with app.app_context():
        found = records.person(given_name="Wendy", family_name="Quarterly")
        records.review(found, outcomes_achieved=None)
        db.session.commit()
        return found.id, found.display_name


@pytest.mark.parametrize(
    ("role", "cld", "sac"),
    [
        ("manager", 200, 200),
        ("admin", 200, 200),
        ("safeguarding_lead", 404, 200),
        ("practitioner", 404, 404),
        ("key_worker", 404, 404),
    ],
)
def test_who_may_see_the_returns(client, login_as, role, cld, sac):
    login_as(role)
    assert client.get(f"/returns/cld?quarter={QUARTER}").status_code == cld
    assert client.get(f"/returns/cld/file?quarter={QUARTER}").status_code == cld
    assert client.get("/returns/sac?year=2025-26").status_code == sac
    assert client.get("/returns/sac/file?year=2025-26&format=csv").status_code == sac
    assert client.get("/returns").status_code == (200 if 200 in (cld, sac) else 404)


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get("/returns/cld?quarter=2026-Q2").status_code in (302, 401)


@pytest.mark.parametrize(
    ("path", "field", "words"),
    [
        ("/returns/cld?quarter=2026-Q9", "quarter", "must be a quarter like 2026-Q2"),
        ("/returns/cld/file?quarter=soon", "quarter", "must be a quarter like 2026-Q2"),
        ("/returns/sac?year=2025", "year", "must be a financial year like 2025-26"),
        ("/returns/sac/file?year=2025-26&format=pdf", "format", "must be xlsx or csv"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(client, login_as, app, path, field, words):
    login_as("manager")
    before = len(audit_rows(app))
    response = client.get(path)
    assert response.status_code == 422
    page = text_of(response)
    assert words in page
    assert f'href="#{field}"' in response.get_data(as_text=True)
    assert len(audit_rows(app)) == before


def test_the_check_counts_each_field_and_links_the_failing_ones(client, login_as, failing, app):
    login_as("manager")
    response = client.get(f"/returns/cld?quarter={QUARTER}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Review Outcomes Achieved</a>" in html
    assert "Failed: Blank (Mandatory)" in html
    assert [r.action for r in audit_rows(app, action="returns.cld.check")]


def test_records_to_fix_are_counts_only_without_a_relationship(client, login_as, failing):
    person_id, name = failing
    login_as("manager")
    response = client.get(f"/returns/cld/fix?quarter={QUARTER}&field=Review Outcomes Achieved")
    page = text_of(response)
    assert response.status_code == 200
    assert "counts only" in page
    assert "Wendy" not in page and "Quarterly" not in page


def test_records_to_fix_are_linked_for_a_viewer_related_to_the_person(
    client, login_as, failing, app
):
    person_id, name = failing
    with app.app_context():
        add_to_care_team(db.session.get(Person, person_id), user("manager"))
        db.session.commit()
    login_as("manager")
    response = client.get(f"/returns/cld/fix?quarter={QUARTER}&field=Review Outcomes Achieved")
    html = response.get_data(as_text=True)
    assert f'href="/people/{person_id}"' in html
    assert name in text_of(response)
    reads = audit_rows(app, action="returns.cld.records_to_fix", person_id=person_id)
    assert len(reads) == 1


def test_an_unknown_field_is_refused(client, login_as):
    login_as("manager")
    response = client.get(f"/returns/cld/fix?quarter={QUARTER}&field=Shoe size")
    assert response.status_code == 422
    assert "is not a field of the CLD specification" in text_of(response)


def test_the_cld_file_has_the_specification_header_and_is_audited(client, login_as, failing, app):
    login_as("manager")
    response = client.get(f"/returns/cld/file?quarter={QUARTER}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert tuple(lines[0]) == rules.field_names()
    assert any(row[rules.position()["Event Type"]] == "Review" for row in lines[1:])
    (produced,) = audit_rows(app, action="returns.cld.produce")
    assert produced.changes["quarter"] == "2026-27-Q1"
    assert produced.changes["rows"] == len(lines) - 1
    assert len(produced.changes["sha256"]) == 64


def test_the_sac_workbook_has_a_sheet_a_table(client, login_as, app):
    with app.app_context():
        found = records.person()
        records.concern(found, raised_on=dt.date(2025, 10, 1))
        db.session.commit()
    login_as("safeguarding_lead")
    response = client.get("/returns/sac/file?year=2025-26&format=xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == [
        "SG1a", "SG1b", "SG1c", "SG1d", "SG1e", "SG1f",
        "SG2a", "SG2b", "SG2c", "SG2e", "SG3a", "SG4a",
    ]  # fmt: skip
    sheet = book["SG1f"]
    assert sheet["A4"].value == "Safeguarding concerns"
    assert sheet["B4"].value >= 1
    assert audit_rows(app, action="returns.sac.produce")


def test_a_cells_cases_are_linked_for_a_safeguarding_lead_and_counted_for_a_manager(
    client, login_as, app
):
    with app.app_context():
        found = records.person(given_name="Ivy", family_name="Cellcount")
        raised = records.concern(found, raised_on=dt.date(2025, 10, 1))
        db.session.commit()
        concern_id = raised.id
    login_as("safeguarding_lead")
    response = client.get("/returns/sac/SG1f/concerns/count?year=2025-26")
    assert response.status_code == 200
    assert f'href="/safeguarding/concerns/{concern_id}"' in response.get_data(as_text=True)
    client.get("/sign-out")
    manager = login_as("manager", with_client=app.test_client())
    page = manager.get("/returns/sac/SG1f/concerns/count?year=2025-26")
    assert page.status_code == 200
    assert "Cellcount" not in text_of(page)
    assert "counted only" in text_of(page)
    assert manager.get("/returns/sac/SG9z/concerns/count?year=2025-26").status_code == 404
