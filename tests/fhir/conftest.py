"""A person holding every kind of data the FHIR view serves, and clients that send tokens."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from caremap.auth.enums import TokenScope
from caremap.auth.operations import create_api_token
from caremap.core.extensions import db
from caremap.episodes.enums import AdmissionCondition, EpisodeKind
from caremap.longterm.operations import record_package
from caremap.longterm.schemas import RecordPackageArgs
from caremap.people import operations as people
from caremap.people.enums import ConsentStatus
from caremap.people.models import PersonIdentifier
from caremap.people.schemas import RelatedPersonArgs
from tests import factories

NHS = factories.valid_nhs_number(424242)
DMD_PARACETAMOL = "322236009"  # dm+d VMP: paracetamol 500mg tablets
SOURCE_SYSTEM = "urn:caremap:source:mosaic"  # where an import found the person


def fhir_client(app, secret: str):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def make_full_record(*, consent: ConsentStatus = ConsentStatus.GIVEN) -> dict[str, Any]:
    """Inside an app context: one person with a value for every element caremap fills,
    and the staff around them. Returns the ids and the key worker's tokens."""
    admin = factories.staff("admin")
    lead = factories.make_user(role="key_worker", team="complex-needs-hub")
    gp = factories.make_user(role="practitioner", team="gp-practices-plymouth")
    outsider = factories.make_user(role="practitioner", team="nhs-111")
    person = factories.make_person(
        actor=admin,
        given_name="Tamsin",
        family_name="Penhaligon",
        preferred_name="Tam",
        date_of_birth=factories.OLDER_PERSON_BORN,
        sex="female",
        nhs_number=NHS,
        address_line_1="4 Quay Road",
        town="Plymouth",
        postcode="PL1 2AB",
        phone="01752 123456",
        email="tamsin@example.org",
        gp_practice_code="L83001",
        gp_practice_name="Quayside Surgery",
        language="Polish",
        interpreter_needed=True,
        communication_needs="Hard of hearing: face her when speaking",
    )
    people.record_consent(
        actor=admin,
        person=person,
        status=ConsentStatus.REFUSED,
        decided_on=dt.date.today() - dt.timedelta(days=60),
    )
    latest = people.record_consent(
        actor=admin,
        person=person,
        status=consent,
        decided_on=dt.date.today() - dt.timedelta(days=30),
        based_on_id=people.current_consent(person).id,
    )
    for details in (
        {"name": "Kerensa Penhaligon", "relationship_to_person": "daughter", "is_carer": True},
        {"name": "Jory Penhaligon", "relationship_to_person": "son", "is_next_of_kin": True},
    ):
        people.add_related_person(
            actor=admin, person=person, details=RelatedPersonArgs().load(details)
        )
    factories.make_lead_key_worker(person, lead, actor=admin)
    factories.add_to_care_team(person, gp, actor=admin)
    discharge = factories.make_referral(person, actor=admin)  # hospital discharge: reablement
    reablement = factories.make_episode(discharge)
    admission_referral = factories.make_referral(person, actor=admin, needs=["telecare"])
    admission = factories.make_episode(
        admission_referral,
        kind=EpisodeKind.HOSPITAL_ADMISSION,
        is_emergency=True,
        admission_condition=AdmissionCondition.CHRONIC_ACSC,
    )
    coded = factories.make_medicine(person, actor=gp, dmd_code=DMD_PARACETAMOL)
    uncoded = factories.make_medicine(person, actor=gp, name="Home remedy", source="self_reported")
    factories.make_concern(person, actor=gp)
    package = record_package(
        actor=lead,
        person=person,
        details=RecordPackageArgs().load(
            {
                "service_type": "Long term support: Community",
                "service_component": "Home support or domiciliary care",
                "provider_name": "Tamar Home Care",
                "unit_cost": 24.5,
                "cost_frequency": "Hourly",
                "planned_units_per_week": 10,
                "started_on": (dt.date.today() - dt.timedelta(days=5)).isoformat(),
            }
        ),
    )
    db.session.add(PersonIdentifier(person_id=person.id, system=SOURCE_SYSTEM, value="M-1234"))
    db.session.flush()
    tokens = {
        "lead": create_api_token(user=lead, name="fhir", scope=TokenScope.FHIR_READ)[1],
        "lead_full": create_api_token(user=lead, name="full")[1],
        "gp": create_api_token(user=gp, name="fhir", scope=TokenScope.FHIR_READ)[1],
        "outsider": create_api_token(user=outsider, name="fhir", scope=TokenScope.FHIR_READ)[1],
    }
    return {
        "person_id": person.id,
        "consent_id": latest.id,
        "episodes": {"reablement": reablement.id, "admission": admission.id},
        "referrals": [discharge.id, admission_referral.id],
        "medicines": [coded.id, uncoded.id],
        "package": package.id,
        "lead_service_id": lead.team.service_id,
        "tokens": tokens,
    }


@pytest.fixture
def full_record(app) -> dict[str, Any]:
    with app.app_context():
        made = make_full_record()
        db.session.commit()
    return made


@pytest.fixture
def as_token(app):
    def client(secret: str):
        return fhir_client(app, secret)

    return client
