"""Cohorts of the safeguarding strand: concerns raised and section 42 enquiries concluded."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, flag, live, row
from caremap.safeguarding.enums import (
    CARE_HOME_LOCATIONS,
    EnquiryStatus,
    OutcomesAchieved,
    RiskOutcome,
    TriageDecision,
)
from caremap.safeguarding.models import Concern, Enquiry


def _concerns(ctx: Context, num) -> sa.Select:
    """Concerns by the local day they were raised (raised_on), not the moment they were
    entered: one phoned in on 31 March and typed up on 2 April is the old year's."""
    return live(sa.select(*row(Concern.person_id, num)), Concern.person_id).where(
        Concern.raised_on.between(ctx.start, ctx.end)
    )


@cohort("SG-CONCERNS")
def sg_concerns(ctx: Context) -> sa.Select:
    return _concerns(ctx, sa.literal(1))


@cohort("SG-S42")
def sg_s42(ctx: Context) -> sa.Select:
    # concerns still awaiting triage stay in the denominator
    return _concerns(ctx, flag(Concern.decision == TriageDecision.SECTION_42_ENQUIRY))


@cohort("SG-COMMUNITY")
def sg_community(ctx: Context) -> sa.Select:
    return _concerns(ctx, flag(Concern.risk_location.not_in(CARE_HOME_LOCATIONS)))


def _concluded_enquiries(ctx: Context, num, *where) -> sa.Select:
    return live(sa.select(*row(Enquiry.person_id, num)), Enquiry.person_id).where(
        Enquiry.status == EnquiryStatus.CONCLUDED,
        Enquiry.is_section_42.is_(True),
        Enquiry.closed_on.between(ctx.start, ctx.end),
        *where,
    )


@cohort("SG-ENQUIRIES-COMPLETED")
def sg_enquiries_completed(ctx: Context) -> sa.Select:
    return _concluded_enquiries(ctx, sa.literal(1))


@cohort("SG-RISK-REDUCED")
def sg_risk_reduced(ctx: Context) -> sa.Select:
    reduced = Enquiry.risk_outcome.in_((RiskOutcome.REMOVED, RiskOutcome.REDUCED))
    return _concluded_enquiries(ctx, flag(reduced), Enquiry.risk_outcome.is_not(None))


@cohort("SG-OUTCOMES-ACHIEVED")
def sg_outcomes_achieved(ctx: Context) -> sa.Select:
    achieved = Enquiry.outcomes_achieved.in_((OutcomesAchieved.FULLY, OutcomesAchieved.PARTLY))
    return _concluded_enquiries(ctx, flag(achieved), Enquiry.outcomes_achieved.is_not(None))


@cohort("CARE-ACT-ADVOCATES")
def advocates(ctx: Context) -> sa.Select:
    """People raised as a safeguarding concern in the period for whom the concern records
    that an independent advocate is needed (Care Act s68: the council must arrange one):
    one row per person."""
    needing = (
        sa.select(Concern.person_id.label("person_id"))
        .where(Concern.raised_on.between(ctx.start, ctx.end), Concern.needs_advocate.is_(True))
        .distinct()
        .subquery()
    )
    stmt = sa.select(*row(needing.c.person_id, sa.literal(1))).select_from(needing)
    return live(stmt, needing.c.person_id)
