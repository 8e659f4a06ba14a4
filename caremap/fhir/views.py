"""The /fhir blueprint: metadata, Patient search and read, Patient/$everything.

Every handler runs load → check access → read → audit → respond like the pages, through
people.loader.load_person (relationship or break-glass, else 404 with nothing about the
person). Bearer tokens only, as for /api/v1; a `fhir_read` token is enough here. Every
answer is application/fhir+json, an error an OperationOutcome.
"""

from __future__ import annotations

import logging

import flask
import sqlalchemy as sa
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from caremap import audit
from caremap.access.policy import related_person_ids
from caremap.auth.current import actor as _me
from caremap.core.clock import now
from caremap.core.errors import DomainError, NotFoundError
from caremap.core.extensions import db
from caremap.core.faults import is_database_unavailable
from caremap.fhir import parameters, record, systems
from caremap.fhir.bundles import everything_page, searchset
from caremap.fhir.capability import capability_statement
from caremap.fhir.outcomes import FhirError, fhir_response, operation_outcome, outcome_response
from caremap.fhir.patient import merged_patient
from caremap.people.enums import RecordStatus
from caremap.people.identifiers import normalise_nhs_number
from caremap.people.loader import load_person
from caremap.people.models import Person, PersonIdentifier

log = logging.getLogger("caremap.fhir")

bp = flask.Blueprint("fhir", __name__, url_prefix="/fhir")

NOT_FOUND = "No such resource, or you have no relationship with this person"
SEARCH_PARAMETERS = {"identifier", "_id", "_count", "_offset"}


@bp.before_request
def _signed_in_by_token():
    if not current_user.is_authenticated:
        return outcome_response(
            401,
            "Send a personal caremap API token as 'Authorization: Bearer <token>'",
            WWW_Authenticate="Bearer",
        )
    return None


@bp.get("/metadata")
def metadata():
    parameters.refuse_unknown(flask.request.args, set())
    return fhir_response(capability_statement(now().date().isoformat()))


def _survivor(person: Person) -> Person | None:
    """The live record a merged one now lives in (merges may chain)."""
    seen = set()
    while person is not None and person.status == RecordStatus.MERGED:
        if person.id in seen:
            return None
        seen.add(person.id)
        person = db.session.get(Person, person.merged_into_id)
    return person


def _by_identifier(identifier: str) -> list[Person]:
    """Records named by `system|value` (or a bare value, in any system): the NHS number,
    caremap's local reference, or an identifier in a system the person was imported from."""
    system, _, value = identifier.rpartition("|")
    value = value.strip()
    if not value:
        raise FhirError(400, "identifier needs a value after the '|'", parameter="identifier")
    clauses = []
    if system in ("", systems.NHS_NUMBER):
        clauses.append(Person.nhs_number == normalise_nhs_number(value))
    if system in ("", systems.LOCAL_REFERENCE):
        clauses.append(Person.local_ref == value)
    imported = sa.select(PersonIdentifier.person_id).where(PersonIdentifier.value == value)
    if system not in (systems.NHS_NUMBER, systems.LOCAL_REFERENCE):
        if system:
            imported = imported.where(PersonIdentifier.system == system)
        clauses.append(Person.id.in_(imported))
    return list(db.session.scalars(sa.select(Person).where(sa.or_(*clauses)).order_by(Person.id)))


def _matching(args) -> list[Person]:
    """The live records a search names (both parameters given: those named by both). A
    merged-away number or id finds the record it went into."""
    identifier = parameters.single(args, "identifier")
    wanted_id = parameters.single(args, "_id")
    if identifier is None and wanted_id is None:
        raise FhirError(
            400,
            f"Search by identifier ({systems.NHS_NUMBER}|<NHS number>) or _id",
            parameter="identifier",
        )
    named: list[list[Person]] = []
    if wanted_id is not None:
        person = db.session.get(Person, int(wanted_id)) if wanted_id.isdigit() else None
        named.append([person] if person is not None else [])
    if identifier is not None:
        named.append(_by_identifier(identifier))
    found = [
        {p.id: p for p in (_survivor(person) for person in people) if p is not None}
        for people in named
    ]
    both = set.intersection(*(set(survivors) for survivors in found))
    return [found[0][key] for key in sorted(both)]


@bp.get("/Patient")
def search_patients():
    args = flask.request.args
    parameters.refuse_unknown(args, SEARCH_PARAMETERS)
    count, offset = parameters.count(args), parameters.offset(args)
    user = _me()
    matching = _matching(args)
    allowed = related_person_ids(user, [p.id for p in matching])
    shown = [p for p in matching if p.id in allowed]
    page = shown[offset : offset + count]
    # Like the pages' search: the search itself, and a read of each person it shows.
    audit.record(
        user,
        "fhir.patient_search",
        changes={
            "criteria": sorted(k for k in args if k in ("identifier", "_id")),
            "results": [p.id for p in page],
        },
        is_read=True,
    )
    audit.record_reads(user, "fhir.patient_read", [p.id for p in page])
    query = {key: args.get(key) for key in ("identifier", "_id")}
    bundle = searchset(
        [record.patient_resource(p) for p in page],
        total=len(shown),
        count=count,
        offset=offset,
        query=query,
    )
    return fhir_response(bundle)


def _load(person_id: int, action: str):
    """The person the URL names, by load_person's rule; a record merged away answers for
    the record it went into (which the caller must be able to see)."""
    person = db.session.get(Person, person_id)
    if person is not None and person.status == RecordStatus.MERGED:
        survivor = _survivor(person)
        if survivor is None:
            raise NotFoundError()
        return person, load_person(survivor.id, user=_me(), action=action)
    return person, load_person(person_id, user=_me(), action=action)


@bp.get("/Patient/<int:person_id>")
def read_patient(person_id: int):
    parameters.refuse_unknown(flask.request.args, set())
    asked, loaded = _load(person_id, "fhir.patient_read")
    if asked is not None and asked.id != loaded.person.id:
        return fhir_response(merged_patient(asked, loaded.person))
    return fhir_response(record.patient_resource(loaded.person))


@bp.get("/Patient/<int:person_id>/$everything")
def everything(person_id: int):
    args = parameters.everything_args(flask.request.args)
    user = _me()
    _, loaded = _load(person_id, "fhir.everything")
    found = record.person_record(loaded, user=user)
    outcomes = []
    if found.limited_by is not None:
        consent = found.limited_by
        outcomes.append(
            operation_outcome(
                200,
                f"Information sharing was {consent.status.value} on "
                f"{consent.decided_on.isoformat()}: only what your own service holds is "
                "included, with the Patient, its consent decisions and its flags",
                severity="information",
            )
        )
    return fhir_response(everything_page(found.entries, args, outcomes))


@bp.route("/", defaults={"rest": ""}, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"])
def anything_else(rest: str):
    """What /fhir does not serve answers in FHIR too, not with the site's HTML pages."""
    if flask.request.method not in ("GET", "HEAD"):
        return outcome_response(405, "This FHIR view is read-only: only GET is served", Allow="GET")
    return outcome_response(404, f"Nothing is served at /fhir/{rest}: see /fhir/metadata")


# --- errors: an OperationOutcome, never the site's HTML pages --------------------------


@bp.errorhandler(FhirError)
def _refused(error: FhirError):
    return outcome_response(error.status, error.message, parameter=error.parameter)


@bp.errorhandler(NotFoundError)
def _not_found(_: NotFoundError):
    return outcome_response(404, NOT_FOUND)


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    return outcome_response(error.status_code, error.message, parameter=error.field)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    return outcome_response(error.code or 500, error.description or error.name)


@bp.errorhandler(sa.exc.SQLAlchemyError)
def _database_error(error: sa.exc.SQLAlchemyError):
    if not is_database_unavailable(error):
        raise error
    return outcome_response(503, "The database is unavailable: try again shortly", Retry_After="5")
