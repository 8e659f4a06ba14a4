"""Hand-made records for the returns' tests: rows written straight to the real database
(a test of the returns must be able to hold what a form would refuse, to see the national
check fail it), each with the count it is meant to add written beside it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from caremap.core.extensions import db
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.safeguarding.models import Concern, Enquiry, EnquiryRisk
from tests.conftest import user
from tests.factories import make_concern, make_person, unique, valid_nhs_number

QUARTER = "2026-Q2"  # April to June 2026: the window is 1 July 2025 to 30 June 2026
IN_WINDOW = dt.date(2026, 1, 15)
BEFORE_WINDOW = dt.date(2025, 5, 1)


def person(*, born: str = "1950-03-07", profile: bool = True, **details: Any):
    """A person with a valid NHS number and, unless told not, a whole valid profile."""
    found = make_person(
        date_of_birth=born,
        nhs_number=details.pop("nhs_number", valid_nhs_number(unique() + 1000)),
        sex=details.pop("sex", "female"),
        **details,
    )
    if profile:
        add_profile(found)
    return found


def add_profile(found, **values: Any) -> SocialCareProfile:
    row = SocialCareProfile(
        person_id=found.id,
        updated_by_id=user("manager").id,
        **{
            "client_type": "Service user",
            "primary_support_reason": "Physical support: Personal care support",
            "accommodation_status": "Owner occupier or shared ownership scheme",
            "employment_status": None,
            "ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
            "visual_impairment": "No",
            "hearing_impairment": "No",
            "dementia": False,
            "autism": False,
            "has_unpaid_carer": True,
            "client_funding_status": "Fully social care funded",
            **values,
        },
    )
    db.session.add(row)
    db.session.flush()
    return row


def assessment(found, **values: Any) -> CareAssessment:
    row = CareAssessment(
        person_id=found.id,
        recorded_by_id=user("manager").id,
        **{
            "kind": AssessmentKind.NEEDS,
            "assessment_type": "Long term assessment",
            "method": "Face to face",
            "eligible_needs_identified": True,
            "started_on": IN_WINDOW,
            "ended_on": IN_WINDOW + dt.timedelta(days=10),
            "outcome": "Progress to support planning or services",
            **values,
        },
    )
    db.session.add(row)
    db.session.flush()
    return row


def package(found, **values: Any) -> CarePackage:
    row = CarePackage(
        person_id=found.id,
        recorded_by_id=user("manager").id,
        **{
            "service_type": "Long term support: Community",
            "service_component": "Home support or domiciliary care",
            "delivery_mechanism": "Direct payment",
            "provider_name": "Tamar Home Care",
            "provider_cqc_location_id": "1-123456789",
            "started_on": IN_WINDOW,
            "ended_on": None,
            "outcome": None,
            "planned_units_per_week": Decimal("14.00"),
            "unit_cost": Decimal("24.50"),
            "cost_frequency": "Hourly",
            **values,
        },
    )
    db.session.add(row)
    db.session.flush()
    return row


def review(found, **values: Any) -> CareReview:
    row = CareReview(
        person_id=found.id,
        recorded_by_id=user("manager").id,
        **{
            "review_reason": "Planned: Cyclical or scheduled",
            "method": "Service user only",
            "outcomes_achieved": "Outcomes fully achieved",
            "started_on": IN_WINDOW,
            "ended_on": IN_WINDOW,
            "outcome": "Continuation of support or services",
            **values,
        },
    )
    db.session.add(row)
    db.session.flush()
    return row


def concern(found, *, raised_on: dt.date, **overrides: Any) -> Concern:
    made = make_concern(found, **overrides)
    made.raised_on = raised_on
    db.session.flush()
    return made


def enquiry(
    found,
    *,
    started_on: dt.date,
    section_42: bool = True,
    closed_on: dt.date | None = None,
    risks: tuple[tuple[str, str, str], ...] = (),
    **facts: Any,
) -> Enquiry:
    """An enquiry straight into the tables (the triage and conclusion flows have tests of
    their own): its concern, the SAC facts as given, its risks (type, location, source)."""
    raised = concern(found, raised_on=started_on)
    made = Enquiry(
        concern_id=raised.id,
        person_id=found.id,
        is_section_42=section_42,
        lead_id=user("safeguarding_lead").id,
        started_on=started_on,
        status="concluded" if closed_on else "open",
        closed_on=closed_on,
        **facts,
    )
    db.session.add(made)
    db.session.flush()
    for kind, location, source in risks:
        db.session.add(
            EnquiryRisk(
                enquiry_id=made.id, risk_type=kind, risk_location=location, risk_source=source
            )
        )
    db.session.flush()
    return made
