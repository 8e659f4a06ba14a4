"""The admin pages through HTTP: upload, the run's summary and error report, the held queue."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.imports.enums import HeldStatus
from caremap.imports.formats import PEOPLE_COLUMNS
from caremap.imports.models import HeldMatch
from caremap.people.models import PersonIdentifier
from tests.conftest import text_of
from tests.factories import letters, unique
from tests.imports.helpers import SYSTEM, csv_bytes, person_row


def _upload(client, rows, name="people.csv"):
    data = {"kind": "people", "file": (io.BytesIO(csv_bytes(rows, PEOPLE_COLUMNS)), name)}
    return client.post("/admin/imports", data=data, content_type="multipart/form-data")


def test_only_an_admin_sees_the_import_pages(client, login_as):
    login_as("manager")
    assert client.get("/admin/imports").status_code == 404
    assert client.get("/admin/imports/held").status_code == 404


def test_upload_shows_the_summary_and_the_error_report(app, client, login_as):
    login_as("admin")
    tag = letters(unique())
    response = _upload(client, [person_row(f"a{tag}"), person_row(f"b{tag}", nhs_number="12")])
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert "Created 1" in text and "Rejected 1" in text
    report = client.get(response.headers["Location"] + "/problems.csv")
    assert report.status_code == 200 and report.mimetype == "text/csv"
    assert report.get_data(as_text=True).splitlines() == [
        "line,field,reason",
        "3,nhs_number,is not a valid NHS number: it must be 10 digits and pass the Modulus 11"
        " check",
    ]
    assert "people.csv" in text_of(client.get("/admin/imports"))


def test_a_wrong_header_is_refused_on_the_page(client, login_as):
    login_as("admin")
    data = {"kind": "people", "file": (io.BytesIO(b"name\nA\n"), "x.csv")}
    response = client.post("/admin/imports", data=data, content_type="multipart/form-data")
    assert "The header is wrong" in text_of(client.get(response.headers["Location"]))


def test_held_rows_are_decided_on_the_queue(app, client, login_as, make_person):
    login_as("admin")
    tag = letters(unique())
    existing = make_person(
        given_name="Morwena",
        family_name=f"Importtesta{tag}",
        date_of_birth="1941-05-17",
        postcode="TR1 1AA",
    )
    other = make_person(
        given_name="Jon", family_name=f"Heldb{tag}", date_of_birth="1970-02-02", postcode="TR2 2AA"
    )
    _upload(
        client,
        [
            person_row(f"a{tag}"),
            person_row(
                f"b{tag}",
                given_name="John",
                family_name=f"Heldb{tag}",
                date_of_birth="1970-02-02",
                postcode="EX1 1AA",
            ),
        ],
    )
    queue = text_of(client.get("/admin/imports/held"))
    assert "similar name, same date of birth" in queue and f"Importtesta{tag}" in queue
    with app.app_context():
        held = {
            h.source_id: (h.id, h.version)
            for h in db.session.scalars(
                sa.select(HeldMatch).where(HeldMatch.source_system == SYSTEM)
            )
        }
    a_id, a_version = held[f"a{tag}"]
    stale = client.post(
        f"/admin/imports/held/{a_id}/link", data={"person_id": existing, "version": a_version + 5}
    )
    assert stale.status_code == 422
    done = client.post(
        f"/admin/imports/held/{a_id}/link", data={"person_id": existing, "version": a_version}
    )
    assert done.status_code == 302
    b_id, b_version = held[f"b{tag}"]
    no_reason = client.post(f"/admin/imports/held/{b_id}/reject", data={"version": b_version})
    assert no_reason.status_code == 422
    assert (
        client.post(
            f"/admin/imports/held/{b_id}/reject",
            data={"version": b_version, "reason": "A test row"},
        ).status_code
        == 302
    )
    with app.app_context():
        linked = db.session.scalar(
            sa.select(PersonIdentifier.person_id).where(PersonIdentifier.value == f"a{tag}")
        )
        assert linked == existing
        rejected = db.session.get(HeldMatch, b_id)
        assert rejected.status == HeldStatus.REJECTED and rejected.decision_reason == "A test row"
        assert other is not None


def test_the_record_page_shows_the_identifier_from_the_source_system(app, client, login_as):
    login_as("admin")
    tag = letters(unique())
    _upload(client, [person_row(f"r{tag}", date_of_birth="1961-06-06", postcode=None)])
    with app.app_context():
        person_id = db.session.scalar(
            sa.select(PersonIdentifier.person_id).where(PersonIdentifier.value == f"r{tag}")
        )
    page = client.get(f"/people/{person_id}")
    assert page.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)).split())
    assert f"Identifiers in other systems {SYSTEM} r{tag}" in text
