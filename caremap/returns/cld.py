"""The CLD file: one row per event (Request, Assessment, Service, Review) for the rolling
12 months ending with a quarter, each row in the specification's field order.

Which events (DHSC's own filter, Main_tables/docs/methodology/4-event-filtering.md):
requests, assessments and reviews that END within the 12 months; services active at any
time within them (started by its last day, not ended before its first). Open requests,
assessments and reviews wait for the return after they end.

Where each comes from (docs/returns.md has the whole mapping): a referral to an adult
social care service is the Request (seed/cld/requests.json); longterm's assessments,
care packages and reviews are the other three, their coded columns holding the Release 2
text already. A care-home admission or a reablement episode has its care package
(care_packages.episode_id), so episodes are not read here and nothing counts twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.core import clock
from caremap.core.extensions import db
from caremap.core.seeds import read_seed
from caremap.indicators.periods import Period
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.people.enums import RecordStatus
from caremap.people.models import Person
from caremap.referrals.models import Referral
from caremap.returns import rules
from caremap.returns.periods import Window

ADULT_AGE = 18
OPEN_SERVICE_OUTCOME = "Continuation of support or services"


@cache
def mapping() -> dict[str, Any]:
    return read_seed("cld/requests.json")


@dataclass(frozen=True)
class Submission:
    la_code: str
    window: Window


@dataclass(frozen=True)
class EventRow:
    """One row of the file, and whose record it came from (for the records to fix)."""

    person_id: int
    values: tuple[str, ...]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return mapping()["yes_no"][str(value).lower()]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


_PERSON_COLUMNS = (
    Person.id,
    Person.nhs_number,
    Person.local_ref,
    Person.given_name,
    Person.family_name,
    Person.gp_practice_name,
    Person.gp_practice_code,
    Person.sex,
    Person.date_of_birth,
    Person.date_of_death,
    Person.postcode,
    SocialCareProfile.client_type,
    SocialCareProfile.primary_support_reason,
    SocialCareProfile.ethnicity,
    SocialCareProfile.accommodation_status,
    SocialCareProfile.employment_status,
    SocialCareProfile.has_unpaid_carer,
    SocialCareProfile.autism,
    SocialCareProfile.visual_impairment,
    SocialCareProfile.hearing_impairment,
    SocialCareProfile.dementia,
    SocialCareProfile.client_funding_status,
)
_N = len(_PERSON_COLUMNS)


def _with_person(stmt: sa.Select, person_id) -> sa.Select:
    return (
        stmt.join(Person, Person.id == person_id)
        .outerjoin(SocialCareProfile, SocialCareProfile.person_id == Person.id)
        .where(Person.status == RecordStatus.LIVE)
    )


class _RowMaker:
    """Fills a row's fields by name, in the specification's order."""

    def __init__(self, submission: Submission) -> None:
        self.at = rules.position()
        self.blank = [""] * len(self.at)
        self.blank[self.at["LA Code"]] = submission.la_code
        self.blank[self.at["Reporting Period Start Date"]] = submission.window.start.isoformat()
        self.blank[self.at["Reporting Period End Date"]] = submission.window.end.isoformat()

    def row(self, person: tuple, client_type: str | None, event: dict[str, Any]) -> EventRow:
        values = list(self.blank)
        at = self.at
        (
            person_id, nhs_number, local_ref, given, family, gp_name, gp_code, sex, born, died,
            postcode, profile_client, psr, ethnicity, accommodation, employment, has_carer,
            autism, visual, hearing, dementia, funding,
        ) = person  # fmt: skip
        client = client_type or profile_client or rules.SERVICE_USER
        for name, value in (
            ("NHS Number", nhs_number),
            ("LA Person Unique Identifier", local_ref),
            ("First Name", given),
            ("Last Name", family),
            ("GP Practice Name", gp_name),
            ("GP Practice Code", gp_code),
            ("Gender", mapping()["gender"].get(str(sex), "") if sex else ""),
            ("Ethnicity", ethnicity),
            ("Date of Birth", born),
            ("Date of Death", died),
            ("Client Type", client),
            ("Primary Support Reason", psr),
            ("Postcode", postcode),
            ("Accommodation Status", accommodation),
            ("Employment Status", employment),
            ("Has Unpaid Carer", has_carer),
        ):
            values[at[name]] = _text(value)
        if client == rules.SERVICE_USER:
            for name, value in (
                ("Autism Spectrum Disorder (ASD)", autism),
                ("Visual Impairment", visual),
                ("Hearing Impairment", hearing),
                ("Dementia", dementia),
                ("Client Funding Status", funding),
            ):
                values[at[name]] = _text(value)
        for name, value in event.items():
            values[at[name]] = _text(value)
        return EventRow(person_id, tuple(values))


def _adult(person: tuple, on: dt.date) -> bool:
    born = person[8]
    return (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) >= ADULT_AGE


def _requests(maker: _RowMaker, window: Window) -> Iterator[EventRow]:
    """Referrals to adult social care services answered within the window."""
    since, until = clock.day_bounds(window.start, window.end)
    table = mapping()
    stmt = _with_person(
        sa.select(
            *_PERSON_COLUMNS,
            Referral.reference,
            Referral.source,
            Referral.status,
            Referral.received_at,
            Referral.responded_at,
            Service.code,
        )
        .select_from(Referral)
        .join(Service, Service.id == Referral.service_id)
        .join(Strand, Strand.id == Service.strand_id)
        .where(
            Strand.code.in_(table["request_strands"]),
            Service.code.notin_(table["not_requests"]["services"]),
            Referral.responded_at >= since,
            Referral.responded_at < until,
        ),
        Referral.person_id,
    ).order_by(Referral.id)
    for row in db.session.execute(stmt).yield_per(5000):
        person = tuple(row[:_N])
        reference, source, status, received_at, responded_at, service = row[_N:]
        started = clock.local_date(received_at)
        if not _adult(person, started):
            continue
        outcome = table["outcome_by_status"].get(str(status), "")
        if str(status) in ("accepted", "active", "closed"):
            outcome = table["outcome_by_service_when_taken_on"].get(service, outcome)
        yield maker.row(
            person,
            rules.SERVICE_USER,
            {
                "Event Type": "Request",
                "Event Reference": f"REQ-{reference}",
                "Event Start Date": started,
                "Event End Date": clock.local_date(responded_at),
                "Event Outcome": outcome,
                "Request: Route of Access": table["route_of_access"].get(str(source), ""),
            },
        )


def _assessments(maker: _RowMaker, window: Window) -> Iterator[EventRow]:
    cared_for = sa.orm.aliased(Person)
    stmt = _with_person(
        sa.select(
            *_PERSON_COLUMNS,
            CareAssessment.id,
            CareAssessment.kind,
            CareAssessment.assessment_type,
            CareAssessment.method,
            CareAssessment.eligible_needs_identified,
            CareAssessment.started_on,
            CareAssessment.ended_on,
            CareAssessment.outcome,
            CareAssessment.hours_caring_per_week,
            CareAssessment.adults_cared_for,
            cared_for.local_ref,
        )
        .select_from(CareAssessment)
        .outerjoin(cared_for, cared_for.id == CareAssessment.cared_for_person_id)
        .where(CareAssessment.ended_on.between(window.start, window.end)),
        CareAssessment.person_id,
    ).order_by(CareAssessment.id)
    for row in db.session.execute(stmt).yield_per(5000):
        person = tuple(row[:_N])
        (key, kind, kind_of, method, eligible, started, ended, outcome, hours, adults, linked) = (
            row[_N:]
        )
        event = {
            "Event Type": "Assessment",
            "Event Reference": f"ASM-{key}",
            "Event Start Date": started,
            "Event End Date": ended,
            "Event Outcome": outcome,
            "Assessment Type": kind_of,
            "Eligible Needs Identified": eligible,
            "Method of Assessment": method,
        }
        carer = kind == AssessmentKind.CARERS
        if carer:
            event |= {
                "Total Hrs Caring per week": hours,
                "No. of adults being cared for": adults,
                "Adult 1 Linked Person ID": linked,
            }
        yield maker.row(person, "Unpaid carer" if carer else None, event)


def _services(maker: _RowMaker, window: Window) -> Iterator[EventRow]:
    stmt = _with_person(
        sa.select(
            *_PERSON_COLUMNS,
            CarePackage.id,
            CarePackage.service_type,
            CarePackage.service_component,
            CarePackage.delivery_mechanism,
            CarePackage.provider_name,
            CarePackage.provider_cqc_location_id,
            CarePackage.started_on,
            CarePackage.ended_on,
            CarePackage.outcome,
            CarePackage.unit_cost,
            CarePackage.cost_frequency,
            CarePackage.planned_units_per_week,
            CarePackage.funded_by,
        )
        .select_from(CarePackage)
        .where(
            CarePackage.started_on <= window.end,
            sa.or_(CarePackage.ended_on.is_(None), CarePackage.ended_on >= window.start),
        ),
        CarePackage.person_id,
    ).order_by(CarePackage.id)
    for row in db.session.execute(stmt).yield_per(5000):
        person = tuple(row[:_N])
        (key, kind, component, mechanism, provider, cqc, started, ended, outcome) = row[_N : _N + 9]
        unit_cost, frequency, units, funded_by = row[_N + 9 :]
        # a service still open at the end of the window goes on: that is its outcome so far
        still_open = ended is None or ended > window.end
        event = {
            "Event Type": "Service",
            "Event Reference": f"SVC-{key}",
            "Event Start Date": started,
            "Event End Date": ended,
            "Event Outcome": outcome or (OPEN_SERVICE_OUTCOME if still_open else None),
            "Service Type": kind,
            "Service Component": component,
            "Delivery Mechanism": mechanism,
            "Provider CQC Location Name": provider,
            "Provider CQC Location ID": cqc,
            "Unit Cost": unit_cost,
            "Cost Frequency (Unit Type)": frequency,
            "Planned units per week": units,
        }
        if funded_by:
            event["Client Funding Status"] = funded_by
        yield maker.row(person, None, event)


def _reviews(maker: _RowMaker, window: Window) -> Iterator[EventRow]:
    stmt = _with_person(
        sa.select(
            *_PERSON_COLUMNS,
            CareReview.id,
            CareReview.review_reason,
            CareReview.method,
            CareReview.outcomes_achieved,
            CareReview.started_on,
            CareReview.ended_on,
            CareReview.outcome,
        )
        .select_from(CareReview)
        .where(CareReview.ended_on.between(window.start, window.end)),
        CareReview.person_id,
    ).order_by(CareReview.id)
    for row in db.session.execute(stmt).yield_per(5000):
        person = tuple(row[:_N])
        key, reason, method, achieved, started, ended, outcome = row[_N:]
        yield maker.row(
            person,
            None,
            {
                "Event Type": "Review",
                "Event Reference": f"REV-{key}",
                "Event Start Date": started,
                "Event End Date": ended,
                "Event Outcome": outcome,
                "Review Reason": reason,
                "Review Outcomes Achieved": achieved,
                "Method of Review": method,
            },
        )


def la_code() -> str:
    return rules.specification()["council"]["la_code"]


def event_rows(period: Period) -> Iterator[EventRow]:
    """Every row of the return for the 12 months ending with `period` (a quarter)."""
    window = Window.ending_with(period)
    maker = _RowMaker(Submission(la_code(), window))
    for source in (_requests, _assessments, _services, _reviews):
        yield from source(maker, window)
