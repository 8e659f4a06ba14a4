"""Every FHIR answer, errors included, as application/fhir+json: an error is an
OperationOutcome naming what was wrong (and, for bad input, the parameter), never HTML."""

from __future__ import annotations

import json
from typing import Any

import flask

from caremap.fhir.systems import MIME

# HTTP status → the issue type (R4 issue-type) an OperationOutcome reports.
ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    422: "processing",
    500: "exception",
    503: "transient",
}


class FhirError(Exception):
    """A request the FHIR view refuses, with the parameter that was wrong (if one was)."""

    def __init__(self, status: int, message: str, *, parameter: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.parameter = parameter


def fhir_response(resource: dict[str, Any], status: int = 200, **headers: str) -> flask.Response:
    response = flask.current_app.response_class(
        json.dumps(resource, ensure_ascii=False), status=status, mimetype=MIME
    )
    response.headers["Content-Type"] = f"{MIME}; charset=utf-8"
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def operation_outcome(
    status: int, message: str, *, parameter: str | None = None, severity: str = "error"
) -> dict[str, Any]:
    issue: dict[str, Any] = {
        "severity": severity,
        "code": ISSUE_TYPES.get(status, "exception"),
        "diagnostics": message,
    }
    if parameter:
        issue["expression"] = [parameter]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_response(
    status: int, message: str, *, parameter: str | None = None, **headers: str
) -> flask.Response:
    return fhir_response(operation_outcome(status, message, parameter=parameter), status, **headers)
