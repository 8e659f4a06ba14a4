"""GET /api/v1/people/<id> is read as plain rows and written as plain dicts
(people/record_read.py); its answer is byte for byte what the schemas dump for the same
record read as ORM objects (the way it was answered before), for people holding every
kind of data: identity, story versions, consent decisions, carers (one ended, and one
record whose own carer record points at it), identity checks both ways, care team,
referrals, episodes, medicines, safeguarding, long-term support; and for someone without
a relationship, who sees the identity only."""

from __future__ import annotations

import datetime as dt

import flask
import sqlalchemy as sa

from caremap.access.policy import Access, decide
from caremap.audit.models import AuditEvent
from caremap.auth.models import User
from caremap.auth.operations import live_token
from caremap.core.extensions import db
from caremap.flags import flags_for, flags_for_many
from caremap.people import operations as people
from caremap.people import queries
from caremap.people.enums import ConsentStatus
from caremap.people.models import Person, RelatedPerson
from caremap.people.schemas import (
    PersonIdentitySchema,
    PersonRecordResponseSchema,
    RegisterPersonArgs,
    RelatedPersonArgs,
)
from tests import factories
from tests.fhir.conftest import fhir_client, make_full_record


def _as_the_schemas_dump(person_id: int, user_id: int) -> bytes:
    """The answer as it was made before: ORM objects through the marshmallow schemas."""
    person = db.session.get(Person, person_id)
    user = db.session.get(User, user_id)
    if decide(user, person).access != Access.FULL:
        return flask.jsonify(PersonIdentitySchema().dump(person)).data
    record = {
        "person": person,
        "flags": flags_for(person),
        "story": queries.current_story(person),
        "consent": queries.current_consent(person),
        "related_people": queries.related_people(person),
        "identity_checks": queries.identity_checks_for(person),
    }
    return flask.jsonify(PersonRecordResponseSchema().dump(record)).data


def _namesake(actor, *, of, not_the_same_as: list[int], **details):
    args = {
        "given_name": "Tamsin",
        "family_name": "Penhaligon",
        "date_of_birth": factories.OLDER_PERSON_BORN,
        "confirm_no_duplicate": True,
        "not_the_same_person_as": not_the_same_as,
        "reason": "Different mothers' maiden names, checked with the GP",
        **details,
    }
    return people.register_person(actor=actor, details=RegisterPersonArgs().load(args))


def _the_rich_record(app) -> dict:
    with app.app_context():
        made = make_full_record(consent=ConsentStatus.REFUSED)
        admin = factories.staff("admin")
        person = db.session.get(Person, made["person_id"])
        first = people.add_story_version(
            actor=admin, person=person, text="I like my garden.", based_on_id=None
        )
        people.add_story_version(
            actor=admin,
            person=person,
            text="I like my garden and\nmy cat, Mowzer. \u00c9t\u00e9 \u2014 \U0001f408",
            based_on_id=first.id,
        )
        ended = people.add_related_person(
            actor=admin,
            person=person,
            details=RelatedPersonArgs().load(
                {
                    "name": "Old Neighbour",
                    "relationship_to_person": "neighbour",
                    "phone": "01752 000000",
                    "email": "neighbour@example.org",
                    "address": "6 Quay Road",
                    "is_carer": True,
                    "involved_in_care": False,
                    "notes": "Moved away",
                }
            ),
        )
        people.update_related_person(
            actor=admin,
            person=person,
            related=ended,
            details={"is_active": False, "version": ended.version},
        )
        second = _namesake(admin, of=person, not_the_same_as=[person.id], postcode="PL9 9ZZ")
        third = _namesake(
            admin, of=person, not_the_same_as=[person.id, second.id], date_of_death="2024-05-01"
        )
        # The rich person cares for the second namesake: an unpaid carer's flag on theirs.
        people.add_related_person(
            actor=admin,
            person=second,
            details=RelatedPersonArgs().load(
                {
                    "name": "Tamsin Penhaligon",
                    "relationship_to_person": "friend",
                    "is_carer": True,
                    "carer_person_id": person.id,
                }
            ),
        )
        made["namesakes"] = [second.id, third.id]
        db.session.commit()
    return made


def test_the_record_json_is_the_schemas_answer_byte_for_byte(app, api):
    made = _the_rich_record(app)
    lead = fhir_client(app, made["tokens"]["lead_full"])
    admin = api("admin")
    checked = 0
    for person_id in [made["person_id"], *made["namesakes"]]:
        for client in (lead, admin.client):
            headers = {} if client is lead else admin.headers
            response = client.get(f"/api/v1/people/{person_id}", headers=headers)
            assert response.status_code == 200
            with app.test_request_context():
                user_id = _caller(app, client is lead, made)
                expected = _as_the_schemas_dump(person_id, user_id)
            assert response.data == expected, (person_id, response.json)
            checked += 1
    body = lead.get(f"/api/v1/people/{made['person_id']}").json
    # Every part of the record is really there, so the comparison above compared something.
    assert body["person"]["preferred_name"] == "Tam"
    assert body["story"]["text"].startswith("I like my garden and")
    assert body["consent"]["status"] == "refused"
    assert {r["name"] for r in body["related_people"]} == {"Kerensa Penhaligon", "Jory Penhaligon"}
    assert len(body["identity_checks"]) == 2
    codes = {f["code"] for f in body["flags"]}
    assert {"consent", "interpreter", "carer", "key_worker", "safeguarding"} <= codes, codes
    assert checked == 6


def _caller(app, is_lead: bool, made: dict) -> int:
    if not is_lead:
        return factories.staff("admin").id
    return live_token(made["tokens"]["lead_full"]).user_id


def test_without_a_relationship_the_identity_is_the_schemas_answer(app, api):
    made = _the_rich_record(app)
    outsider = api("practitioner")
    for person_id in [made["person_id"], *made["namesakes"]]:
        response = outsider.get(f"/people/{person_id}")
        assert response.status_code == 200
        assert response.json["access"] == "identity"
        with app.test_request_context():
            expected = _as_the_schemas_dump(person_id, factories.staff("practitioner").id)
        assert response.data == expected


def test_each_read_leaves_its_audit_rows(app, api):
    made = _the_rich_record(app)
    lead = fhir_client(app, made["tokens"]["lead_full"])
    person_id = made["person_id"]
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id)))
    assert lead.get(f"/api/v1/people/{person_id}").status_code == 200
    assert api("practitioner").get(f"/people/{person_id}").status_code == 200
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.person_id, AuditEvent.changes)
            .where(AuditEvent.id > before)
            .order_by(AuditEvent.id)
        ).all()
    views = [(r.person_id, r.changes) for r in rows if r.action == "people.view"]
    assert views == [
        (person_id, {"access": "full", "because": "care_team"}),
        (person_id, {"access": "identity", "because": "none"}),
    ]
    shown = sorted(r.person_id for r in rows if r.action == "people.identity_check_shown")
    assert shown == sorted(made["namesakes"])


def test_a_missing_or_merged_record_is_not_found(app, api):
    admin = api("admin")
    assert admin.get("/people/987654321").status_code == 404
    with app.app_context():
        actor = factories.staff("admin")
        kept = factories.make_person(actor=actor, given_name="Morwenna", family_name="Keast")
        gone = factories.make_person(
            actor=actor, given_name="Morwenna", family_name="Keast", date_of_birth="1950-07-03"
        )
        people.merge_people(
            actor=actor, survivor=kept, duplicate=gone, reason="the same person, registered twice"
        )
        db.session.commit()
        kept_id, gone_id = kept.id, gone.id
    assert admin.get(f"/people/{gone_id}").status_code == 404
    assert admin.get(f"/people/{kept_id}").status_code == 200


def test_an_ended_related_person_is_not_in_the_record(app, api):
    made = _the_rich_record(app)
    with app.app_context():
        ended = db.session.scalar(
            sa.select(RelatedPerson).where(RelatedPerson.name == "Old Neighbour")
        )
        assert ended is not None and not ended.is_active
    body = api("admin").get(f"/people/{made['person_id']}").json
    assert "Old Neighbour" not in {r["name"] for r in body["related_people"]}
    assert dt.date.fromisoformat(body["person"]["date_of_birth"]).year == 1941


def test_one_persons_flags_are_theirs_among_many(app):
    """A record read asks for one person's flags with its own statement (`column = :id`,
    one SQL text); a caseload asks for many with an expanding list. Both give the same."""
    made = _the_rich_record(app)
    with app.test_request_context():
        people = [db.session.get(Person, i) for i in [made["person_id"], *made["namesakes"]]]
        together = flags_for_many(people)
        for person in people:
            assert flags_for(person) == together[person.id], person.id
        codes = {flag.code for flag in together[made["person_id"]]}
        assert {"consent", "interpreter", "carer", "key_worker", "safeguarding"} <= codes
        assert any(together[i] for i in made["namesakes"])  # the carer's flag on the second
