"""Who gets what from /fhir: load_person's rule (relationship or break-glass, else 404 with
nothing about the person), consent honoured, every read audited, tokens and their scope,
and every error an OperationOutcome."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from caremap.fhir import systems
from caremap.people.enums import ConsentStatus
from caremap.people.models import Person
from tests import factories
from tests.fhir.conftest import NHS, SOURCE_SYSTEM, fhir_client, make_full_record
from tests.fhir.test_resources import resources_of, validate

PERSONAL = ("Tamsin", "Penhaligon", NHS, "1941-02-11", "PL1 2AB", "Quay Road")


def assert_outcome(response, status: int, *, parameter: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    outcome = response.json
    validate(outcome)
    assert outcome["resourceType"] == "OperationOutcome"
    if parameter:
        assert outcome["issue"][0]["expression"] == [parameter]
    return outcome


def assert_nothing_personal(response) -> None:
    text = response.get_data(as_text=True)
    for secret in PERSONAL:
        assert secret not in text, f"{secret!r} in a refusal"


@pytest.mark.parametrize(
    "path", ["/fhir/Patient/{id}", "/fhir/Patient/{id}/$everything"], ids=["read", "everything"]
)
def test_the_unrelated_get_404_with_nothing_about_the_person(as_token, full_record, path):
    response = as_token(full_record["tokens"]["outsider"]).get(
        path.format(id=full_record["person_id"])
    )
    assert_outcome(response, 404)
    assert_nothing_personal(response)


def test_a_search_finds_only_those_the_caller_is_related_to(as_token, full_record):
    query = f"/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|{NHS}"
    outsider = as_token(full_record["tokens"]["outsider"]).get(query)
    assert outsider.status_code == 200
    assert outsider.json["total"] == 0 and outsider.json["entry"] == []
    # the links echo the caller's own question (the number they sent), nothing more
    assert "Tamsin" not in outsider.get_data(as_text=True)
    found = as_token(full_record["tokens"]["gp"]).get(query).json
    assert found["total"] == 1
    assert found["entry"][0]["resource"]["id"] == str(full_record["person_id"])


def test_break_glass_opens_the_record(app, as_token, full_record):
    with app.app_context():
        outsider = factories.make_user(role="practitioner", team="emergency-department")
        person = db.session.get(Person, full_record["person_id"])
        factories.make_break_glass(person, outsider)
        secret = factories.make_token(outsider)
        db.session.commit()
    response = as_token(secret).get(f"/fhir/Patient/{full_record['person_id']}/$everything")
    assert response.status_code == 200
    assert "RelatedPerson" in resources_of(response.json)


def test_every_fhir_read_is_in_who_has_looked_at_the_record(app, as_token, full_record):
    client = as_token(full_record["tokens"]["gp"])
    person_id = full_record["person_id"]
    client.get(f"/fhir/Patient/{person_id}")
    client.get(f"/fhir/Patient/{person_id}/$everything")
    client.get(f"/fhir/Patient?identifier={NHS}")
    with app.app_context():
        actions = list(
            db.session.scalars(
                sa.select(AuditEvent.action)
                .where(AuditEvent.person_id == person_id, AuditEvent.action.like("fhir.%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["fhir.patient_read", "fhir.everything", "fhir.patient_read"]
    # and the person's own "who has looked" report shows them
    admin = fhir_client(app, app.config["TEST_TOKENS"]["admin"])
    log = admin.get(f"/api/v1/people/{person_id}/access-log").json
    assert {"fhir.patient_read", "fhir.everything"} <= {row["action"] for row in log}


@pytest.mark.parametrize("status", [ConsentStatus.REFUSED, ConsentStatus.WITHDRAWN])
def test_refused_consent_gives_only_what_the_callers_own_service_holds(app, as_token, status):
    with app.app_context():
        made = make_full_record(consent=status)
        db.session.commit()
    response = as_token(made["tokens"]["gp"]).get(f"/fhir/Patient/{made['person_id']}/$everything")
    assert response.status_code == 200
    bundle = response.json
    validate(bundle)
    found = resources_of(bundle)
    # the GP's team recorded the medicines and holds a place in the care team; the
    # episodes and referrals belong to other services, the carers are not theirs to see
    assert {"Patient", "Consent", "Flag", "CareTeam", "MedicationStatement"} == set(found) - {
        "OperationOutcome"
    }
    (notice,) = found["OperationOutcome"]
    assert status.value in notice["issue"][0]["diagnostics"]
    (team,) = found["CareTeam"]
    assert len(team["participant"]) == 1
    # the lead key worker's own service: its episodes and referrals, nothing of others'
    lead = resources_of(
        as_token(made["tokens"]["lead"]).get(f"/fhir/Patient/{made['person_id']}/$everything").json
    )
    assert "RelatedPerson" not in lead
    assert "MedicationStatement" not in lead


def test_a_fhir_only_token_is_refused_by_the_api_with_a_clear_403(app, as_token, full_record):
    client = as_token(full_record["tokens"]["lead"])
    for method, path in [
        ("get", "/api/v1/me"),
        ("post", f"/api/v1/people/{full_record['person_id']}/story"),
    ]:
        response = getattr(client, method)(path, json={"text": "x", "based_on_id": None})
        assert response.status_code == 403, (path, response.get_data(as_text=True))
        assert "FHIR" in response.json["message"]
    page = client.get("/")
    assert page.status_code == 403
    assert "FHIR" in page.get_data(as_text=True)
    # the same user's full token still works on the API
    assert as_token(full_record["tokens"]["lead_full"]).get("/api/v1/me").status_code == 200
    assert (
        as_token(full_record["tokens"]["lead_full"])
        .get(f"/fhir/Patient/{full_record['person_id']}")
        .status_code
        == 200
    )


def test_no_token_or_a_revoked_one_is_401(app, client, full_record):
    assert_outcome(client.get(f"/fhir/Patient/{full_record['person_id']}"), 401)
    bogus = fhir_client(app, "cm_not-a-token")
    response = bogus.get("/fhir/metadata")
    assert_outcome(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_session_cookie_does_not_open_fhir(login_as, client, full_record):
    login_as("admin")
    assert_outcome(client.get(f"/fhir/Patient/{full_record['person_id']}"), 401)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?_count=0", "_count"),
        ("?_count=lots", "_count"),
        ("?start=30/11/2026", "start"),
        ("?start=2026-12-01&end=2026-01-01", "start"),
        ("?_since=2026-01-01", "_since"),
        ("?_type=Observation", "_type"),
        ("?colour=blue", "colour"),
        ("?_format=xml", "_format"),
    ],
)
def test_bad_parameters_are_refused_naming_them(as_token, full_record, query, parameter):
    response = as_token(full_record["tokens"]["lead"]).get(
        f"/fhir/Patient/{full_record['person_id']}/$everything{query}"
    )
    assert_outcome(response, 406 if parameter == "_format" else 400, parameter=parameter)


def test_search_needs_an_identifier(as_token, full_record):
    client = as_token(full_record["tokens"]["lead"])
    assert_outcome(client.get("/fhir/Patient"), 400, parameter="identifier")
    assert_outcome(client.get("/fhir/Patient?name=Tamsin"), 400, parameter="name")


def test_errors_are_operation_outcomes_never_html(as_token, full_record):
    client = as_token(full_record["tokens"]["lead"])
    assert_outcome(client.get("/fhir/Observation/1"), 404)
    assert_outcome(client.get("/fhir/Patient/not-a-number"), 404)
    assert_outcome(client.get("/fhir/Patient/999999999"), 404)
    assert_outcome(client.post("/fhir/Patient", json={"resourceType": "Patient"}), 405)
    assert_outcome(client.delete(f"/fhir/Patient/{full_record['person_id']}"), 405)


def test_search_by_local_reference_source_identifier_or_id(app, as_token, full_record):
    client = as_token(full_record["tokens"]["lead"])
    person_id = str(full_record["person_id"])
    local = client.get(f"/fhir/Patient/{person_id}").json["identifier"][1]["value"]
    for query in (
        f"identifier={systems.LOCAL_REFERENCE}|{local}",
        f"identifier={SOURCE_SYSTEM}|M-1234",
        "identifier=M-1234",
        f"_id={person_id}",
        f"_id={person_id}&identifier={NHS}",
    ):
        bundle = client.get(f"/fhir/Patient?{query}").json
        assert [e["resource"]["id"] for e in bundle["entry"]] == [person_id], query
    for query in (
        "identifier=urn:another:system|M-1234",
        f"_id=999999999&identifier={NHS}",  # both must name the person
        "_id=abc",
    ):
        assert client.get(f"/fhir/Patient?{query}").json["total"] == 0, query


def test_break_glass_gives_the_whole_record_even_when_consent_was_refused(app, as_token):
    """An emergency: the person's vital interests come before the refusal (as on the pages)."""
    with app.app_context():
        made = make_full_record(consent=ConsentStatus.REFUSED)
        doctor = factories.make_user(role="practitioner", team="emergency-department")
        factories.make_break_glass(db.session.get(Person, made["person_id"]), doctor)
        secret = factories.make_token(doctor)
        db.session.commit()
    found = resources_of(
        as_token(secret).get(f"/fhir/Patient/{made['person_id']}/$everything").json
    )
    assert "OperationOutcome" not in found
    assert {"RelatedPerson", "EpisodeOfCare", "ServiceRequest"} <= set(found)
