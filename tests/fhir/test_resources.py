"""Every resource the FHIR view produces, for a person holding every kind of data, is valid
R4 (fhir.resources' R4B models) and carries what UK Core asks of it."""

from __future__ import annotations

import importlib

import pytest

from caremap.core.extensions import db
from caremap.fhir import systems
from caremap.people import operations as people
from caremap.people.models import Person
from caremap.people.schemas import RelatedPersonArgs
from tests import factories
from tests.fhir.conftest import NHS, SOURCE_SYSTEM

R4B_MODELS = {
    "Bundle": "bundle",
    "CapabilityStatement": "capabilitystatement",
    "OperationOutcome": "operationoutcome",
    **{kind: kind.lower() for kind in systems.RESOURCE_TYPES},
}


def validate(resource: dict):
    """Parse with the R4B model of the resource's type: a wrong element, type or
    cardinality raises."""
    kind = resource["resourceType"]
    module = importlib.import_module(f"fhir.resources.R4B.{R4B_MODELS[kind]}")
    return getattr(module, kind).model_validate(resource)


def everything(client, person_id: int, query: str = "") -> dict:
    response = client.get(f"/fhir/Patient/{person_id}/$everything{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/fhir+json"
    return response.json


def resources_of(bundle: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for entry in bundle["entry"]:
        found.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    return found


def test_every_resource_of_a_full_record_is_valid_r4(as_token, full_record):
    bundle = everything(as_token(full_record["tokens"]["lead"]), full_record["person_id"])
    validate(bundle)
    found = resources_of(bundle)
    assert set(found) == set(systems.RESOURCE_TYPES), set(found)
    for resources in found.values():
        for resource in resources:
            validate(resource)
            assert resource["meta"]["profile"] == [systems.PROFILES[resource["resourceType"]]]
    assert bundle["total"] == len(bundle["entry"])
    # two episodes, and the care package no episode stands for (reablement's is its episode)
    assert len(found["EpisodeOfCare"]) == 3
    assert len(found["Encounter"]) == 1
    assert len(found["ServiceRequest"]) == 2
    assert len(found["MedicationStatement"]) == 2
    assert len(found["RelatedPerson"]) == 2
    assert len(found["Consent"]) == 2


def test_patient_follows_uk_core(as_token, full_record):
    client = as_token(full_record["tokens"]["lead"])
    patient = client.get(f"/fhir/Patient/{full_record['person_id']}").json
    validate(patient)
    nhs, local = patient["identifier"][:2]
    assert nhs["system"] == "https://fhir.nhs.uk/Id/nhs-number"
    assert nhs["value"] == NHS
    (status,) = nhs["extension"]
    assert status["url"] == (
        "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"
    )
    (coding,) = status["valueCodeableConcept"]["coding"]
    assert coding["system"] == (
        "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
    )
    assert coding["code"] == "02"
    assert local["system"] == systems.LOCAL_REFERENCE
    assert patient["name"][0] == {"use": "official", "family": "Penhaligon", "given": ["Tamsin"]}
    assert patient["gender"] == "female"
    assert patient["birthDate"] == "1941-02-11"
    assert patient["deceasedBoolean"] is False
    assert patient["address"][0]["postalCode"] == "PL1 2AB"
    assert {t["system"] for t in patient["telecom"]} == {"phone", "email"}
    (gp,) = patient["generalPractitioner"]
    assert gp["identifier"] == {
        "system": "https://fhir.nhs.uk/Id/ods-organization-code",
        "value": "L83001",
    }
    assert patient["communication"][0]["language"]["coding"][0]["code"] == "pl"
    assert patient["extension"][0]["valueBoolean"] is True  # interpreter required
    assert "Hard of hearing" in patient["text"]["div"]


def test_episode_referral_medicine_and_care_team_details(as_token, full_record):
    found = resources_of(
        everything(as_token(full_record["tokens"]["lead"]), full_record["person_id"])
    )
    episodes = {e["id"]: e for e in found["EpisodeOfCare"]}
    reablement = episodes[str(full_record["episodes"]["reablement"])]
    assert reablement["status"] == "active"
    assert reablement["type"][0]["coding"][0]["code"] == "reablement"
    assert reablement["careManager"]["display"]  # the lead key worker
    assert reablement["referralRequest"][0]["reference"].startswith("ServiceRequest/")
    package = episodes[f"package-{full_record['package']}"]
    assert package["type"][0]["text"] == "Long term support: Community"
    assert package["managingOrganization"]["display"] == "Tamar Home Care"
    (encounter,) = found["Encounter"]
    assert encounter["class"]["code"] == "IMP"
    assert encounter["priority"]["coding"][0]["code"] == "EM"
    assert encounter["episodeOfCare"][0]["reference"] == (
        f"EpisodeOfCare/{full_record['episodes']['admission']}"
    )
    requests = {r["id"]: r for r in found["ServiceRequest"]}
    discharge = requests[str(full_record["referrals"][0])]
    assert discharge["intent"] == "order"
    assert discharge["priority"] == "urgent"
    assert discharge["code"]["coding"][0]["code"] == "hospital_discharge"
    assert discharge["performer"][0]["type"] == "Organization"
    medicines = {m["id"]: m for m in found["MedicationStatement"]}
    coded = medicines[str(full_record["medicines"][0])]
    assert coded["medicationCodeableConcept"]["coding"] == [
        {"system": "https://dmd.nhs.uk", "code": "322236009", "display": "Paracetamol"}
    ]
    assert coded["dosage"][0]["text"] == "1 g four times a day"
    uncoded = medicines[str(full_record["medicines"][1])]
    assert "coding" not in uncoded["medicationCodeableConcept"]
    assert uncoded["informationSource"]["reference"] == f"Patient/{full_record['person_id']}"
    (team,) = found["CareTeam"]
    roles = [p["role"][0].get("coding", [{}])[0].get("code") for p in team["participant"]]
    assert "lead-key-worker" in roles
    assert all("start" in p["period"] for p in team["participant"])


def test_consent_and_flags(as_token, full_record):
    found = resources_of(
        everything(as_token(full_record["tokens"]["lead"]), full_record["person_id"])
    )
    consents = {c["id"]: c for c in found["Consent"]}
    in_force = consents.pop(str(full_record["consent_id"]))
    assert in_force["status"] == "active"
    assert in_force["provision"]["type"] == "permit"
    assert "recorded by" in in_force["text"]["div"]
    (earlier,) = consents.values()
    assert earlier["status"] == "inactive"
    assert earlier["provision"]["type"] == "deny"
    flags = {f["code"]["coding"][0]["code"]: f for f in found["Flag"]}
    safeguarding = flags["safeguarding"]
    assert safeguarding["category"][0]["coding"][0]["code"] == "safety"
    # that a concern is open, and nothing of what it is about
    text = str(safeguarding)
    assert "Left without meals" not in text and "neglect" not in text
    assert "interpreter" in flags


@pytest.mark.parametrize("path", ["/fhir/metadata"])
def test_capability_statement_is_valid_and_lists_what_is_served(as_token, full_record, path):
    statement = as_token(full_record["tokens"]["lead"]).get(path).json
    validate(statement)
    (rest,) = statement["rest"]
    served = {r["type"]: r for r in rest["resource"]}
    assert set(served) == set(systems.RESOURCE_TYPES)
    assert {i["code"] for i in served["Patient"]["interaction"]} == {"read", "search-type"}
    assert served["Patient"]["operation"][0]["name"] == "everything"
    assert all("interaction" not in r for kind, r in served.items() if kind != "Patient")


# The codes R4 binds as "required" for the elements caremap fills
# (http://hl7.org/fhir/R4/valueset-*.html); fhir.resources checks types, not these.
REQUIRED_CODES = {
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("EpisodeOfCare", "status"): {
        "planned", "waitlist", "active", "onhold", "finished", "cancelled", "entered-in-error"
    },
    ("Encounter", "status"): {
        "planned", "arrived", "triaged", "in-progress", "onleave", "finished", "cancelled",
        "entered-in-error", "unknown",
    },
    ("ServiceRequest", "status"): {
        "draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"
    },
    ("ServiceRequest", "intent"): {
        "proposal", "plan", "directive", "order", "original-order", "reflex-order",
        "filler-order", "instance-order", "option",
    },
    ("ServiceRequest", "priority"): {"routine", "urgent", "asap", "stat"},
    ("CareTeam", "status"): {"proposed", "active", "suspended", "inactive", "entered-in-error"},
    ("MedicationStatement", "status"): {
        "active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown",
        "not-taken",
    },
    ("Flag", "status"): {"active", "inactive", "entered-in-error"},
    ("Consent", "status"): {
        "draft", "proposed", "active", "rejected", "inactive", "entered-in-error"
    },
    ("RelatedPerson", "active"): {True, False},
}  # fmt: skip


def test_coded_elements_hold_codes_of_their_required_value_sets(as_token, full_record):
    found = resources_of(
        everything(as_token(full_record["tokens"]["lead"]), full_record["person_id"])
    )
    checked = 0
    for (kind, element), allowed in REQUIRED_CODES.items():
        for resource in found[kind]:
            assert resource[element] in allowed, (kind, element, resource[element])
            checked += 1
    assert checked >= len(REQUIRED_CODES)
    for consent in found["Consent"]:
        assert consent["provision"]["type"] in {"deny", "permit"}
        assert consent["scope"]["coding"][0]["code"] in {
            "adr", "research", "patient-privacy", "treatment"
        }  # fmt: skip


def test_an_imported_persons_source_identifier_is_a_further_identifier(as_token, full_record):
    patient = (
        as_token(full_record["tokens"]["lead"])
        .get(f"/fhir/Patient/{full_record['person_id']}")
        .json
    )
    assert {"use": "secondary", "system": SOURCE_SYSTEM, "value": "M-1234"} in patient["identifier"]


def test_everything_costs_the_same_queries_however_much_the_record_holds(
    app, as_token, full_record, count_queries
):
    """One query a kind of row, not one a row: a long history costs what a short one does."""
    client = as_token(full_record["tokens"]["lead"])
    url = f"/fhir/Patient/{full_record['person_id']}/$everything"
    client.get(url)  # anything loaded once per process is loaded now
    with count_queries() as before:
        small = client.get(url).json["total"]
    with app.app_context():
        person = db.session.get(Person, full_record["person_id"])
        # (three medicines in all: under the polypharmacy flag, whose own provider asks more)
        factories.make_medicine(person, name="Ramipril", dmd_code="40000001")
        factories.make_referral(person, needs=["carer_strain"])
        people.add_related_person(
            actor=factories.staff("admin"),
            person=person,
            details=RelatedPersonArgs().load(
                {"name": "Morwenna", "relationship_to_person": "niece", "is_carer": True}
            ),
        )
        db.session.commit()
    with count_queries() as after:
        large = client.get(url).json["total"]
    assert large == small + 3
    assert len(after) == len(before), (len(before), len(after))
