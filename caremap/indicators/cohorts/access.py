"""Cohorts of the access strand: referrals through the single point of access."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, flag, live, row
from caremap.people.models import Person
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral


def _received(ctx: Context) -> sa.Select:
    """The referrals received in the period, of live people, with the columns the
    cohorts below read and the person's district: one pass over the period's referrals
    joined to live records, shared by the referral indicators computed together."""
    stmt = sa.select(
        Referral.id,
        Referral.person_id,
        Referral.service_id,
        Referral.received_at,
        Referral.responded_at,
        Referral.due_at,
        Referral.redirected_from_id,
        Referral.status,
        sql.outward_code(Person.postcode).label("district"),
    )
    return live(stmt, Referral.person_id).where(
        Referral.received_at >= ctx.since, Referral.received_at < ctx.until
    )


def _rows(ctx: Context, num, *where, value=None) -> sa.Select:
    """One row per referral received in the period (see `_received`); `num`, `where`
    and `value` are written over `received(ctx)`'s columns."""
    r = received(ctx)
    return sa.select(
        *row(r.person_id, num, value=value, service_id=r.service_id, district=r.district)
    ).where(*where)


def received(ctx: Context):
    """The shared referrals of the period, as columns (`.person_id`, `.received_at`...)."""
    return ctx.shared("period_referrals", lambda: _received(ctx)).c


@cohort("REF-NEW")
def ref_new(ctx: Context) -> sa.Select:
    r = received(ctx)
    # a redirected referral's new leg is the same request, not a new one
    return _rows(ctx, sa.literal(1), r.redirected_from_id.is_(None))


@cohort("REF-ON-TIME")
def ref_on_time(ctx: Context) -> sa.Select:
    r = received(ctx)
    on_time = sa.and_(r.responded_at.is_not(None), r.responded_at <= r.due_at)
    # one still unanswered is judged only once its deadline has passed: then it is late
    return _rows(ctx, flag(on_time), sa.or_(r.responded_at.is_not(None), r.due_at < ctx.now))


@cohort("REF-DAYS-TO-CONTACT")
def ref_days_to_contact(ctx: Context) -> sa.Select:
    r = received(ctx)
    days = sql.fractional_days_between(r.responded_at, r.received_at)
    return _rows(ctx, sa.literal(1), r.responded_at.is_not(None), value=days)


@cohort("REF-REDIRECTED")
def ref_redirected(ctx: Context) -> sa.Select:
    r = received(ctx)
    return _rows(ctx, flag(r.status == ReferralStatus.REDIRECTED))


@cohort("REF-REREFERRAL-6M")
def ref_rereferral(ctx: Context, *, within_days: int) -> sa.Select:
    r = received(ctx)
    earlier = sa.orm.aliased(Referral)
    again = (
        sa.select(earlier.id)
        .where(
            earlier.person_id == r.person_id,
            earlier.service_id == r.service_id,
            earlier.received_at < r.received_at,
            earlier.received_at >= sql.timestamp_minus_days(r.received_at, within_days),
        )
        .exists()
    )
    return _rows(ctx, flag(again), r.redirected_from_id.is_(None))
