"""GET /fhir/metadata: a CapabilityStatement that lists exactly what is served."""

from __future__ import annotations

from typing import Any

import flask

from caremap.fhir import systems

EVERYTHING = "http://hl7.org/fhir/OperationDefinition/Patient-everything"
# Served only inside Patient/$everything (no read or search of their own).
_IN_EVERYTHING_ONLY = "Returned only by Patient/$everything, for a patient the caller may see"


def capability_statement(date: str) -> dict[str, Any]:
    base = flask.request.host_url.rstrip("/") + "/fhir"
    patient = {
        "type": "Patient",
        "supportedProfile": [systems.PROFILES["Patient"]],
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [
            {
                "name": "identifier",
                "type": "token",
                "documentation": f"{systems.NHS_NUMBER}|<NHS number> (a merged-away "
                "number finds the record that stands), or caremap's local reference",
            },
            {"name": "_id", "type": "token"},
        ],
        "operation": [{"name": "everything", "definition": EVERYTHING}],
    }
    others = [
        {
            "type": kind,
            "supportedProfile": [systems.PROFILES[kind]],
            "documentation": _IN_EVERYTHING_ONLY,
        }
        for kind in systems.RESOURCE_TYPES
        if kind != "Patient"
    ]
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "caremap",
        "kind": "instance",
        "software": {"name": "caremap"},
        "implementation": {"description": "caremap's read-only FHIR view", "url": base},
        "fhirVersion": systems.FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Read-only. Every read is audited and shown to the person "
                "in 'who has looked at my record'.",
                "security": {
                    "description": "Send a personal caremap API token as 'Authorization: "
                    "Bearer <token>' (a token limited to the FHIR view is enough). A patient "
                    "the caller has no relationship with is not found (404)."
                },
                "resource": [patient, *others],
            }
        ],
    }
