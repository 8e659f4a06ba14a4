"""Recording long-term support: verbs that flush and audit, each with an explicit actor.

History may be back-dated (a package that began last year is entered today), so every
date is held to the person's life (people.dates) rather than to the day it is typed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from caremap import audit
from caremap.audit.operations import diff
from caremap.auth.models import User
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.longterm import queries
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.lists import starts_planned
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.people.dates import check_within_life
from caremap.people.models import Person
from caremap.people.operations import lock_person
from caremap.people.queries import record_ids
from caremap.referrals.models import Referral

PROFILE_FIELDS = (
    "client_type",
    "primary_support_reason",
    "accommodation_status",
    "employment_status",
    "ethnicity",
    "visual_impairment",
    "hearing_impairment",
    "dementia",
    "autism",
    "has_unpaid_carer",
    "client_funding_status",
)
DATES = ("started_on", "ended_on")


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Audit rows are JSON: amounts as their exact text."""
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def _flush() -> None:
    """Write the change; another editor's change committed since this one read the row
    (the version column no longer matches) is told as a stale copy (409), not a 500."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleVersionError(current_version=-1) from error


def _snapshot(row: Any, names: Any) -> dict[str, Any]:
    return _plain({name: getattr(row, name) for name in names})


def save_profile(*, actor: User, person: Person, details: dict[str, Any]) -> SocialCareProfile:
    """The person's social care profile, made or replaced whole. Two people editing it at
    once: the second is told (409) rather than overwriting the first; two making the first
    profile at once queue on the person's row, so the second meets the first's profile."""
    details = dict(details)
    version = details.pop("version", None)
    lock_person(person)
    profile = queries.profile_of(person.id)
    if profile is None:
        if version is not None:
            raise DomainError("there is no profile yet: leave the version out", field="version")
        profile = SocialCareProfile(person_id=person.id, updated_by_id=actor.id)
        db.session.add(profile)
        before: dict[str, Any] = {}
    else:
        check_version(profile, version)
        before = _snapshot(profile, PROFILE_FIELDS)
    for name in PROFILE_FIELDS:
        setattr(profile, name, details.get(name))
    profile.updated_by_id = actor.id
    _flush()
    audit.record(
        actor,
        "longterm.profile.save",
        person=person,
        changes=diff(before, _snapshot(profile, PROFILE_FIELDS)),
    )
    return profile


def _check_dates(person: Person, details: dict[str, Any]) -> None:
    for name in DATES:
        if details.get(name) is not None:
            check_within_life(person, details[name], field=name)


def _owned(model: Any, row_id: int | None, person: Person, *, field: str) -> None:
    """A linked row (the referral, assessment or package an event follows) must be this
    person's; anyone else's is refused as if it did not exist."""
    if row_id is None:
        return
    row = db.session.get(model, row_id)
    if row is None or row.person_id not in record_ids(person):
        raise DomainError("is not one of this person's", field=field)


def _check_carer(person: Person, kind: AssessmentKind, details: dict[str, Any]) -> None:
    if kind != AssessmentKind.CARERS:
        for name in ("hours_caring_per_week", "adults_cared_for", "cared_for_person_id"):
            if details.get(name) is not None:
                raise DomainError("applies to a carer's assessment only", field=name)
        return
    cared_for = details.get("cared_for_person_id")
    if cared_for is None:
        return
    if cared_for == person.id:
        raise DomainError("must be someone other than the carer", field="cared_for_person_id")
    if db.session.get(Person, cared_for) is None:
        raise DomainError("is not a person on the record", field="cared_for_person_id")


def record_assessment(*, actor: User, person: Person, details: dict[str, Any]) -> CareAssessment:
    """A Care Act needs assessment or a carer's assessment (a CLD Assessment event)."""
    _check_dates(person, details)
    _owned(Referral, details.get("referral_id"), person, field="referral_id")
    _check_carer(person, details["kind"], details)
    assessment = CareAssessment(person_id=person.id, recorded_by_id=actor.id, **details)
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        actor,
        "longterm.assessments.record",
        person=person,
        changes=_plain({"assessment_id": assessment.id, **details}),
    )
    return assessment


def update_assessment(
    *, actor: User, assessment: CareAssessment, details: dict[str, Any]
) -> CareAssessment:
    details = dict(details)
    check_version(assessment, details.pop("version"))
    person = db.session.get(Person, assessment.person_id)
    _check_dates(person, details)
    _owned(Referral, details.get("referral_id"), person, field="referral_id")
    _check_carer(person, assessment.kind, details)
    return _update(actor, assessment, details, "longterm.assessments.update", "assessment_id")


def _update(actor: User, row: Any, details: dict[str, Any], action: str, key: str) -> Any:
    before = _snapshot(row, details)
    for name, value in details.items():
        setattr(row, name, value)
    _flush()
    audit.record(
        actor,
        action,
        person_id=row.person_id,
        changes={key: row.id, **diff(before, _snapshot(row, details))},
    )
    return row


def _end(
    actor: User,
    row: Any,
    ended_on: dt.date,
    outcome: str,
    version: int,
    action: str,
    key: str,
    **more: Any,
) -> Any:
    check_version(row, version)
    if row.ended_on is not None:
        raise DomainError("has already been given: this has ended", field="ended_on")
    if ended_on < row.started_on:
        raise DomainError("must be on or after the start date", field="ended_on")
    check_within_life(db.session.get(Person, row.person_id), ended_on, field="ended_on")
    row.ended_on = ended_on
    row.outcome = outcome
    for name, value in more.items():
        setattr(row, name, value)
    _flush()
    audit.record(
        actor,
        action,
        person_id=row.person_id,
        changes={key: row.id, "ended_on": ended_on, "outcome": outcome, **more},
    )
    return row


def end_assessment(
    *, actor: User, assessment: CareAssessment, ended_on: dt.date, outcome: str, version: int
) -> CareAssessment:
    return _end(
        actor, assessment, ended_on, outcome, version, "longterm.assessments.end", "assessment_id"
    )


def record_package(
    *, actor: User, person: Person, details: dict[str, Any], episode_id: int | None = None
) -> CarePackage:
    """A care package or placement (a CLD Service event)."""
    _check_dates(person, details)
    _owned(CareAssessment, details.get("assessment_id"), person, field="assessment_id")
    package = CarePackage(
        person_id=person.id, recorded_by_id=actor.id, episode_id=episode_id, **details
    )
    db.session.add(package)
    db.session.flush()
    audit.record(
        actor,
        "longterm.packages.record",
        person=person,
        changes=_plain({"care_package_id": package.id, "episode_id": episode_id, **details}),
    )
    return package


def update_package(*, actor: User, package: CarePackage, details: dict[str, Any]) -> CarePackage:
    details = dict(details)
    check_version(package, details.pop("version"))
    person = db.session.get(Person, package.person_id)
    _check_dates(person, details)
    _owned(CareAssessment, details.get("assessment_id"), person, field="assessment_id")
    return _update(actor, package, details, "longterm.packages.update", "care_package_id")


def end_package(
    *, actor: User, package: CarePackage, ended_on: dt.date, outcome: str, version: int
) -> CarePackage:
    return _end(
        actor, package, ended_on, outcome, version, "longterm.packages.end", "care_package_id"
    )


def record_review(*, actor: User, person: Person, details: dict[str, Any]) -> CareReview:
    """A review of the person's support (a CLD Review event), planned or not."""
    _check_dates(person, details)
    _owned(CarePackage, details.get("care_package_id"), person, field="care_package_id")
    review = CareReview(person_id=person.id, recorded_by_id=actor.id, **details)
    db.session.add(review)
    db.session.flush()
    audit.record(
        actor,
        "longterm.reviews.record",
        person=person,
        changes=_plain({"care_review_id": review.id, **details}),
    )
    return review


def update_review(*, actor: User, review: CareReview, details: dict[str, Any]) -> CareReview:
    details = dict(details)
    check_version(review, details.pop("version"))
    person = db.session.get(Person, review.person_id)
    _check_dates(person, details)
    _owned(CarePackage, details.get("care_package_id"), person, field="care_package_id")
    return _update(actor, review, details, "longterm.reviews.update", "care_review_id")


def end_review(
    *,
    actor: User,
    review: CareReview,
    ended_on: dt.date,
    outcome: str,
    version: int,
    outcomes_achieved: str | None = None,
) -> CareReview:
    check_version(review, version)  # a stale copy is told so before anything else
    outcomes_achieved = outcomes_achieved or review.outcomes_achieved
    if starts_planned(review.review_reason) and not outcomes_achieved:
        raise DomainError(
            "is required when a planned review ends (CLD Review Outcomes Achieved)",
            field="outcomes_achieved",
        )
    return _end(
        actor,
        review,
        ended_on,
        outcome,
        version,
        "longterm.reviews.end",
        "care_review_id",
        outcomes_achieved=outcomes_achieved,
    )
