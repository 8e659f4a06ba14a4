"""Cohorts of the long-term support strand: care home admissions (ASCOF 2B and 2C), living
at home or with family (2E), self-directed support, major adaptations."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.episodes.enums import EpisodeKind, SupportType
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.cohorts.registry import cohort
from caremap.indicators.cohorts.rows import Context, aged, flag, live, open_on, row
from caremap.longterm.models import CarePackage, SocialCareProfile
from caremap.people.models import Person

# CLD Release 2 service types (seed/cld/service_type.json): what DHSC's central method
# reads (DataS-DHSC/ASC-CLD-LA-Dashboard ASCOF_measures/*_2425_Onwards.sql)
RESIDENTIAL_OR_NURSING = ("Long term support: Residential care", "Long term support: Nursing care")
LONG_TERM = (*RESIDENTIAL_OR_NURSING, "Long term support: Community", "Long term support: Prison")
SELF_FUNDED = "NFA: Self-funded client or under 12wk disregard"
CLIENT_FUNDED = "Fully client funded"
# "New": no earlier residential or nursing service open, or ended, within this many days
NOT_NEW_WITHIN_DAYS = 365


def _long_term_care_home(package) -> sa.ColumnElement[bool]:
    """A long-term residential or nursing service: not one whose component says short term."""
    return sa.and_(
        package.service_type.in_(RESIDENTIAL_OR_NURSING),
        sa.func.lower(package.service_component).not_like("%short%"),
    )


@cohort("ASCOF-2A-65")
@cohort("ASCOF-2A-18-64")
def permanent_admissions(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    """People newly admitted to residential or nursing care, by DHSC's central method
    (ASCOF 2B and 2C since 2023-24, from CLD Service events): a long-term residential or
    nursing service starting in the period, council-supported (not ended as self-funded,
    not fully client funded), and new: no earlier such service still open or ended less
    than a year before it started (a move between homes is not a new admission). One row
    per person, in the age band of their youngest new admission, aged 18 or over then,
    alive at the period's start."""
    earlier = sa.orm.aliased(CarePackage)
    age = sql.age_on(Person.date_of_birth, CarePackage.started_on)
    admissions = (
        sa.select(CarePackage.person_id.label("person_id"), sa.func.min(age).label("age"))
        .join(Person, Person.id == CarePackage.person_id)
        .where(
            _long_term_care_home(CarePackage),
            CarePackage.started_on.between(ctx.start, ctx.end),
            sa.func.coalesce(CarePackage.outcome, "") != SELF_FUNDED,
            sa.func.coalesce(CarePackage.funded_by, "") != CLIENT_FUNDED,
            sa.or_(Person.date_of_death.is_(None), Person.date_of_death >= ctx.start),
            age >= 18,
            ~sa.exists().where(
                earlier.person_id == CarePackage.person_id,
                _long_term_care_home(earlier),
                earlier.started_on < CarePackage.started_on,
                sa.or_(
                    earlier.ended_on.is_(None),
                    sql.days_between(CarePackage.started_on, earlier.ended_on)
                    < NOT_NEW_WITHIN_DAYS,
                ),
            ),
        )
        .group_by(CarePackage.person_id)
        .subquery()
    )
    stmt = sa.select(*row(admissions.c.person_id, sa.literal(1))).select_from(admissions)
    return live(stmt, admissions.c.person_id).where(aged(admissions.c.age, ages))


# Living in their own home or with family: DHSC's settled accommodation group (ASCOF 2E,
# formerly 1G; Create_ASCOF_2E_2425_Onwards.sql, #REF_Accommodation_Status group 1)
AT_HOME_OR_WITH_FAMILY = (
    "Owner occupier or shared ownership scheme",
    "Tenant: Local authority or other social housing provider",
    "Tenant: Private landlord",
    "Settled mainstream housing with family or friends",
    "Supported accommodation, supported lodgings or supported group home",
    "Shared Lives scheme",
    "Approved premises for offenders released from prison or under probation supervision",
    "Sheltered housing, extra care housing or other sheltered housing",
    "Mobile accommodation for Gypsy, Roma and Traveller communities",
)


@cohort("ASCOF23-2E-18-64")
@cohort("ASCOF23-2E-65")
def home_or_family(ctx: Context, *, ages: tuple[int | None, int | None]) -> sa.Select:
    """People receiving long-term support in the period (a long-term service open at any
    time in it), one row each, aged by the end of their latest such service (or the
    period's end if it is still open), living at home or with family by their profile's
    accommodation status; an unknown status counts in the denominator only."""
    ends = sa.func.max(
        sql.least(
            sa.func.coalesce(CarePackage.ended_on, sql.date_value(ctx.end)),
            sql.date_value(ctx.end),
        )
    )
    served = (
        sa.select(CarePackage.person_id.label("person_id"), ends.label("last_day"))
        .where(
            CarePackage.service_type.in_(LONG_TERM),
            CarePackage.started_on <= ctx.end,
            sa.or_(CarePackage.ended_on.is_(None), CarePackage.ended_on >= ctx.start),
        )
        .group_by(CarePackage.person_id)
        .subquery()
    )
    at_home = SocialCareProfile.accommodation_status.in_(AT_HOME_OR_WITH_FAMILY)
    stmt = (
        sa.select(*row(served.c.person_id, flag(at_home)))
        .select_from(served)
        .outerjoin(SocialCareProfile, SocialCareProfile.person_id == served.c.person_id)
    )
    return live(stmt, served.c.person_id).where(
        sa.or_(Person.date_of_death.is_(None), Person.date_of_death >= ctx.start),
        aged(sql.age_on(Person.date_of_birth, served.c.last_day), ages),
    )


@cohort("LTS-MAJOR-ADAPTATIONS")
def major_adaptations(ctx: Context, *, service: str) -> sa.Select:
    """People whose major adaptation was completed in the period: an episode of the
    housing adaptations service ended in it, for a reason other than death; one row per
    person."""
    completed = (
        sa.select(Episode.person_id.label("person_id"))
        .join(Service, Service.id == Episode.service_id)
        .where(Service.code == service, Episode.ended_on.between(ctx.start, ctx.end))
        .distinct()
        .subquery()
    )
    stmt = sa.select(*row(completed.c.person_id, sa.literal(1))).select_from(completed)
    return live(stmt, completed.c.person_id).where(
        sa.or_(Person.date_of_death.is_(None), Person.date_of_death > ctx.start)
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
