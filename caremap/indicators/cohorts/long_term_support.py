"""Cohorts of the long-term support strand: care home admissions and self-directed support."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.episodes.enums import EpisodeKind, SupportType
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, aged, episodes, flag, live, open_on, row
from caremap.people.models import Person


@cohort("ASCOF-2A-65")
@cohort("ASCOF-2A-18-64")
def permanent_admissions(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    return episodes(
        sa.literal(1),
        sa.literal(1),
        Episode.kind == EpisodeKind.CARE_HOME_ADMISSION,
        Episode.is_permanent.is_(True),
        # a move from one care home to another is not a new admission
        sa.func.coalesce(Episode.moved_from_care_home, sa.false()).is_(False),
        Episode.started_on.between(ctx.start, ctx.end),
        aged(sql.age_on(Person.date_of_birth, Episode.started_on), ages),
    )


@cohort("ASCOF-1C-SDS")
@cohort("ASCOF-1C-DP")
def self_directed_support(ctx: Context, *, support_types: Sequence[str]) -> sa.Select:
    """One row per person, not per episode: ASCOF 1C counts people, and someone may
    hold several open episodes on the day."""
    long_term = sa.select(Service.id).join(Strand).where(Strand.code == "long_term_support")
    receives = sa.and_(
        Episode.kind == EpisodeKind.SELF_DIRECTED_SUPPORT,
        Episode.support_type.in_(tuple(SupportType(kind) for kind in support_types)),
    )
    stmt = sa.select(*row(Episode.person_id, sa.func.max(flag(receives))))
    return (
        live(stmt, Episode.person_id)
        .where(
            open_on(ctx.end),
            sa.or_(
                Episode.kind == EpisodeKind.SELF_DIRECTED_SUPPORT,
                Episode.service_id.in_(long_term),
            ),
            # community-based support: living in a care home is not in the cohort
            Episode.kind != EpisodeKind.CARE_HOME_ADMISSION,
        )
        # a person has one postcode, so grouping by it too keeps one row per person
        .group_by(Episode.person_id, Person.postcode)
    )
