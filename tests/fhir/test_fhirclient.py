"""End to end with a FHIR client written elsewhere (SMART's `fhirclient`) against a real
caremap server on a free port: search by NHS number, read, $everything with paging."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from fhirclient.models.bundle import Bundle
from fhirclient.models.capabilitystatement import CapabilityStatement
from fhirclient.models.patient import Patient
from fhirclient.server import FHIRServer
from werkzeug.serving import make_server

from caremap.core.extensions import db
from caremap.fhir import systems
from tests.conftest import app_with_its_own_database
from tests.fhir.conftest import NHS, make_full_record


@pytest.fixture(scope="module")
def served() -> Iterator[dict]:
    """caremap on its own committed database, listening on 127.0.0.1 and a free port."""
    for app in app_with_its_own_database("fhir_client"):
        with app.app_context():
            made = make_full_record()
            db.session.commit()
        server = make_server("127.0.0.1", 0, app)
        thread = threading.Thread(target=server.serve_forever, name="caremap-fhir", daemon=True)
        thread.start()
        try:
            yield {**made, "base": f"http://127.0.0.1:{server.server_port}/fhir"}
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()


def connect(served: dict, token: str = "lead") -> FHIRServer:
    server = FHIRServer(None, base_uri=served["base"])
    server.session.headers["Authorization"] = f"Bearer {served['tokens'][token]}"
    return server


def test_the_client_reads_the_capability_statement(served):
    statement = CapabilityStatement.read_from("metadata", connect(served))
    assert statement.fhirVersion == "4.0.1"
    assert {r.type for r in statement.rest[0].resource} == set(systems.RESOURCE_TYPES)


def test_search_by_nhs_number_then_read(served):
    server = connect(served)
    search = Patient.where(struct={"identifier": f"{systems.NHS_NUMBER}|{NHS}"})
    found = [patient for bundle in search.perform_iter(server) for patient in bundle.entry or []]
    (entry,) = found
    assert entry.resource.id == str(served["person_id"])
    patient = Patient.read(entry.resource.id, server)
    nhs = next(i for i in patient.identifier if i.system == systems.NHS_NUMBER)
    assert nhs.value == NHS
    assert nhs.extension[0].valueCodeableConcept.coding[0].code == "02"
    assert patient.name[0].family == "Penhaligon"
    assert patient.generalPractitioner[0].identifier.value == "L83001"


def test_everything_follows_the_next_links_to_the_whole_record(served):
    server = connect(served)
    whole = Bundle.read_from(f"Patient/{served['person_id']}/$everything", server)
    expected = [(e.resource.resource_type, e.resource.id) for e in whole.entry]
    assert whole.total == len(expected) > 9
    pages, seen = 0, []
    bundle = Bundle.read_from(f"Patient/{served['person_id']}/$everything?_count=4", server)
    while bundle is not None:
        pages += 1
        assert bundle.type == "searchset" and bundle.total == whole.total
        seen += [(e.resource.resource_type, e.resource.id) for e in bundle.entry]
        following = [link.url for link in bundle.link if link.relation == "next"]
        bundle = Bundle.read_from(following[0], server) if following else None
    assert seen == expected
    assert pages == -(-whole.total // 4)


def test_everything_filters_by_type_and_care_dates(served):
    server = connect(served)
    person = served["person_id"]
    medicines = Bundle.read_from(f"Patient/{person}/$everything?_type=MedicationStatement", server)
    assert {e.resource.resource_type for e in medicines.entry} == {"Patient", "MedicationStatement"}
    long_ago = Bundle.read_from(f"Patient/{person}/$everything?end=1990", server)
    kinds = {e.resource.resource_type for e in long_ago.entry}
    assert "EpisodeOfCare" not in kinds and "ServiceRequest" not in kinds
    assert "Patient" in kinds and "RelatedPerson" in kinds  # no care date: always in
    future = Bundle.read_from(f"Patient/{person}/$everything?_since=2999-01-01T00:00:00Z", server)
    assert {e.resource.resource_type for e in future.entry} <= {"Patient", "Flag"}


def test_the_unrelated_client_is_told_not_found(served):
    response = requests.get(
        f"{served['base']}/Patient/{served['person_id']}",
        headers={"Authorization": f"Bearer {served['tokens']['outsider']}"},
        timeout=10,
    )
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/fhir+json")
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "Penhaligon" not in response.text
