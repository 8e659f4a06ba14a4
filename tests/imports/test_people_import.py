"""caremap.imports.people_import against a real database: validation, the duplicate check,
idempotence, whole rows, audit."""

from __future__ import annotations

import io

import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from caremap.imports.enums import HeldStatus, RunStatus
from caremap.imports.models import HeldMatch, ImportProblem
from caremap.imports.people_import import SUMMARY_KEYS, import_people
from caremap.people.models import Person, PersonIdentifier
from tests.factories import letters, make_person, staff, unique, valid_nhs_number
from tests.imports.helpers import SYSTEM, people_file, person_row


def _import(rows, **kwargs):
    return import_people(actor=staff("admin"), file=people_file(rows), filename="t.csv", **kwargs)


def _summary(**counts) -> dict[str, int]:
    return {**dict.fromkeys(SUMMARY_KEYS, 0), **counts}


def _person_of(source_id: str) -> Person | None:
    return db.session.scalar(
        sa.select(Person)
        .join(PersonIdentifier, PersonIdentifier.person_id == Person.id)
        .where(PersonIdentifier.system == SYSTEM, PersonIdentifier.value == source_id)
    )


def _problems(run) -> list[tuple[int, str, str]]:
    stmt = sa.select(ImportProblem).where(ImportProblem.import_run_id == run.id)
    return [
        (p.line, p.field, p.reason) for p in db.session.scalars(stmt.order_by(ImportProblem.line))
    ]


def test_new_people_are_created_as_complete_as_registering_makes_them(ctx):
    tag = letters(unique())
    nhs = valid_nhs_number(unique() + 400_000)
    run = _import(
        [
            person_row(f"a{tag}", nhs_number=nhs, sex="female"),
            person_row(f"b{tag}", given_name="Ezra", date_of_birth="1960-01-01", postcode=None),
        ]
    )
    assert run.status == RunStatus.FINISHED
    assert run.summary["created"] == 2 and run.summary["read"] == 2
    person = _person_of(f"a{tag}")
    admin = staff("admin")
    assert person.nhs_number == nhs and person.sex.value == "female"
    assert person.local_ref.startswith("CM") and len(person.local_ref) == 10
    assert person.registered_by_id == admin.id and person.registered_by_team_id == admin.team_id
    assert person.search_name == f"morwenna importtesta{tag}"
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.person_id == person.id)).all()
    assert [a.action for a in audit] == ["people.register"]
    assert audit[0].changes["file_sha256"] == run.sha256 and len(run.sha256) == 64
    assert audit[0].changes["line"] == 2 and audit[0].changes["local_ref"] == person.local_ref


def test_the_same_file_twice_changes_nothing(ctx):
    tag = letters(unique())
    rows = [
        person_row(f"a{tag}"),
        person_row(f"b{tag}", given_name="Ezra", date_of_birth="1950-01-02", postcode="PL2 1AA"),
    ]
    first = _import(rows)
    people = db.session.scalar(sa.select(sa.func.count(Person.id)))
    audits = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    second = _import(rows)
    assert first.summary["created"] == 2
    assert second.summary == _summary(read=2, unchanged=2)
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == people
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == audits


def test_bad_rows_are_reported_with_line_field_and_reason_while_good_rows_go_in(ctx):
    tag = letters(unique())
    rows = [
        person_row(f"a{tag}"),
        person_row(f"b{tag}", nhs_number="1234567890"),
        person_row(f"c{tag}", date_of_birth="1950-02-30", postcode="NOT A CODE"),
        person_row(f"d{tag}", given_name=""),
        person_row(f"e{tag}", date_of_birth="2999-01-01"),
        person_row(f"a{tag}", given_name="Again"),
    ]
    run = _import(rows)
    assert run.summary["created"] == 1 and run.summary["rejected"] == 5
    problems = _problems(run)
    assert (
        3,
        "nhs_number",
        "is not a valid NHS number: it must be 10 digits and pass the Modulus 11 check",
    ) in problems
    assert (4, "date_of_birth", "Not a valid date.") in problems
    assert (4, "postcode", "is not a valid UK postcode, like PL1 2AA") in problems
    assert (5, "given_name", "is required") in problems
    assert (6, "date_of_birth", "must be today or in the past") in problems
    assert (7, "source_id", "repeats the source identifier of line 2") in problems
    for source in "bcde":
        assert _person_of(f"{source}{tag}") is None


def test_a_wrong_header_refuses_the_whole_file(ctx):
    before = db.session.scalar(sa.select(sa.func.count(Person.id)))
    data = b"source_system,source_id,first_name,family_name,date_of_birth\nx,1,A,B,1950-01-01\n"
    run = import_people(actor=staff("admin"), file=io.BytesIO(data), filename="bad.csv")
    assert run.status == RunStatus.REFUSED
    assert "unknown column(s): first_name" in run.refusal
    assert "missing column(s): given_name" in run.refusal
    assert run.summary == _summary()
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == before


def test_a_file_that_is_not_utf8_is_refused(ctx):
    run = import_people(
        actor=staff("admin"), file=io.BytesIO("given_name\xe9\n".encode("latin-1")), filename="x"
    )
    assert run.status == RunStatus.REFUSED and "UTF-8" in run.refusal


def test_same_nhs_number_links_to_the_live_record(ctx):
    tag = letters(unique())
    nhs = valid_nhs_number(unique() + 500_000)
    existing = make_person(nhs_number=nhs, given_name="Jo", family_name=f"Other{tag}")
    run = _import([person_row(f"a{tag}", nhs_number=nhs)])
    assert run.summary["linked"] == 1
    assert _person_of(f"a{tag}").id == existing.id
    link = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.person_id == existing.id, AuditEvent.action == "imports.link"
        )
    ).one()
    assert link.changes["file_sha256"] == run.sha256


def test_same_name_birth_and_postcode_links(ctx):
    tag = letters(unique())
    existing = make_person(
        given_name="Morwenna",
        family_name=f"Importtesta{tag}",
        date_of_birth="1941-05-17",
        postcode="PL1 2AA",
    )
    run = _import([person_row(f"a{tag}", given_name="MORWENNA")])
    assert run.summary["linked"] == 1 and _person_of(f"a{tag}").id == existing.id


def test_a_likely_match_is_held_with_its_candidates_and_why(ctx):
    tag = letters(unique())
    existing = make_person(
        given_name="Morwena",
        family_name=f"Importtesta{tag}",
        date_of_birth="1941-05-17",
        postcode="TR1 1AA",
    )
    run = _import([person_row(f"a{tag}")])
    assert run.summary["held"] == 1
    held = db.session.scalars(sa.select(HeldMatch).where(HeldMatch.import_run_id == run.id)).one()
    assert held.status == HeldStatus.WAITING and held.line == 2
    assert held.candidates == [
        {"person_id": existing.id, "reasons": ["similar name, same date of birth"]}
    ]
    assert _person_of(f"a{tag}") is None
    again = _import([person_row(f"a{tag}")])
    assert again.summary == _summary(read=1, unchanged=1)


def test_two_rows_for_one_new_person_in_one_batch_become_one_record(ctx):
    tag = letters(unique())
    nhs = valid_nhs_number(unique() + 600_000)
    rows = [person_row(f"a{tag}", nhs_number=nhs), person_row(f"b{tag}", nhs_number=nhs)]
    run = _import(rows)
    assert run.summary["created"] == 1 and run.summary["linked"] == 1
    assert _person_of(f"a{tag}").id == _person_of(f"b{tag}").id


def test_small_batches_give_the_same_outcome(ctx):
    tag = letters(unique())
    rows = [
        person_row(
            f"{i}{tag}", given_name=name, date_of_birth=f"19{40 + i}-01-0{i + 1}", postcode=None
        )
        for i, name in enumerate(["Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus"])
    ]
    run = _import(rows, batch_size=3)
    assert run.summary == _summary(read=7, created=7)


def test_a_source_identifier_repeated_in_a_later_batch_of_the_file_is_reported(ctx):
    tag = letters(unique())
    rows = [
        person_row(f"a{tag}"),
        person_row(f"b{tag}", given_name="Ezra", date_of_birth="1970-07-07", postcode=None),
        person_row(f"a{tag}", given_name="Other", date_of_birth="1980-08-08", postcode=None),
    ]
    run = _import(rows, batch_size=2)
    assert run.summary == _summary(read=3, created=2, rejected=1)
    assert _problems(run) == [
        (4, "source_id", "repeats the source identifier of an earlier row of this file")
    ]
    again = _import(rows, batch_size=2)
    assert again.summary == _summary(read=3, unchanged=3)
