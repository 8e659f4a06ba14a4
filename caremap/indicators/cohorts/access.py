"""Cohorts of the access strand: referrals through the single point of access."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, flag, live, row
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral


def _referrals(ctx: Context, num, *where, value=None) -> sa.Select:
    stmt = sa.select(*row(Referral.person_id, num, value=value, service_id=Referral.service_id))
    return live(stmt, Referral.person_id).where(
        Referral.received_at >= ctx.since, Referral.received_at < ctx.until, *where
    )


@cohort("REF-NEW")
def ref_new(ctx: Context) -> sa.Select:
    # a redirected referral's new leg is the same request, not a new one
    return _referrals(ctx, sa.literal(1), Referral.redirected_from_id.is_(None))


@cohort("REF-ON-TIME")
def ref_on_time(ctx: Context) -> sa.Select:
    on_time = sa.and_(Referral.responded_at.is_not(None), Referral.responded_at <= Referral.due_at)
    # one still unanswered is judged only once its deadline has passed: then it is late
    return _referrals(
        ctx,
        flag(on_time),
        sa.or_(Referral.responded_at.is_not(None), Referral.due_at < ctx.now),
    )


@cohort("REF-DAYS-TO-CONTACT")
def ref_days_to_contact(ctx: Context) -> sa.Select:
    days = sql.fractional_days_between(Referral.responded_at, Referral.received_at)
    return _referrals(ctx, sa.literal(1), Referral.responded_at.is_not(None), value=days)


@cohort("REF-REDIRECTED")
def ref_redirected(ctx: Context) -> sa.Select:
    return _referrals(ctx, flag(Referral.status == ReferralStatus.REDIRECTED))


@cohort("REF-REREFERRAL-6M")
def ref_rereferral(ctx: Context, *, within_days: int) -> sa.Select:
    earlier = sa.orm.aliased(Referral)
    again = (
        sa.select(earlier.id)
        .where(
            earlier.person_id == Referral.person_id,
            earlier.service_id == Referral.service_id,
            earlier.received_at < Referral.received_at,
            earlier.received_at >= sql.timestamp_minus_days(Referral.received_at, within_days),
        )
        .exists()
    )
    return _referrals(ctx, flag(again), Referral.redirected_from_id.is_(None))
