"""Cohorts of the multiple needs strand: the core, edge and stable cohorts, and housing."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.careteam.models import CareTeamMember
from caremap.cohorts.enums import Cohort as NeedsCohort
from caremap.cohorts.queries import latest_assessments
from caremap.episodes.enums import EpisodeKind, HomelessnessOutcome
from caremap.episodes.models import Episode
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, episodes, flag, live, row


def _assessed(latest: sa.Subquery, cohorts: Sequence[str], num) -> sa.Select:
    """People whose newest assessment puts them in one of `cohorts`."""
    in_force = tuple(NeedsCohort(name) for name in cohorts)
    return live(sa.select(*row(latest.c.person_id, num)), latest.c.person_id).where(
        latest.c.cohort.in_(in_force)
    )


def _latest(ctx: Context) -> sa.Subquery:
    """Each person's newest assessment by the end of the period: what was in force then
    (a worker's override wins over the derived cohort)."""
    return latest_assessments(recorded_before=ctx.until)


@cohort("MN-CORE")
@cohort("MN-EDGE")
@cohort("MN-STABLE")
def people_in_cohorts(ctx: Context, *, cohorts: Sequence[str]) -> sa.Select:
    return _assessed(_latest(ctx), cohorts, sa.literal(1))


@cohort("MN-KEY-WORKER")
def mn_key_worker(ctx: Context, *, cohorts: Sequence[str]) -> sa.Select:
    latest = _latest(ctx)
    has_lead = (
        sa.select(CareTeamMember.id)
        .where(
            CareTeamMember.person_id == latest.c.person_id,
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.started_at < ctx.until,
            sa.or_(CareTeamMember.ended_at.is_(None), CareTeamMember.ended_at >= ctx.until),
        )
        .exists()
    )
    return _assessed(latest, cohorts, flag(has_lead))


@cohort("HOUSING-PREVENTED")
def housing_prevented(ctx: Context) -> sa.Select:
    return episodes(
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.HOMELESSNESS_PREVENTION,
        Episode.ended_on.between(ctx.start, ctx.end),
        Episode.homelessness_outcome == HomelessnessOutcome.PREVENTED,
    )
