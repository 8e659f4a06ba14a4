"""The shape every cohort selects, and the pieces several cohorts share.

A cohort is a SELECT of one row per thing counted (an episode, a referral, a concern,
a person), with these columns:

    person_id   whose row it is: the drill-down lists these people
    num, den    what the row adds to the numerator and to the denominator
    value       what a median is taken over (null for the other units)
    district    the person's postcode district: what the area filter narrows by
    service_id  the service the row belongs to, only when it belongs to one: what
                the service and strand filters narrow by

A cohort never applies the filters itself: `narrowed` applies them to these columns,
so an indicator can be narrowed only by what its rows carry, and a test checks that
each definition declares exactly those filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.core import clock
from caremap.episodes.models import Episode
from caremap.indicators import sql
from caremap.indicators.models import PostcodeDistrict
from caremap.indicators.periods import Period
from caremap.indicators.results import Filters
from caremap.people.enums import RecordStatus
from caremap.people.models import Person

# filter name: the cohort column it narrows
FILTER_COLUMNS = {"area": "district", "service": "service_id", "strand": "service_id"}


@dataclass(frozen=True)
class Context:
    """What a cohort is computed for: a period, and the day that counts as today
    (a stay not yet ended is counted up to it, a referral is overdue against it).

    Dates (`*_on`) are local calendar days and compare with `start` and `end`;
    timestamps (`*_at`, stored in UTC) compare with `since`, `until` and `now`, the UTC
    instants of the local midnights that bound those days (caremap.core.clock), so an
    event at 00:30 on 1 April in summer time is in April, never cast to 31 March in UTC.
    """

    period: Period
    today: dt.date
    # intermediate results several cohorts share, by name (see `shared`)
    _shared: dict[str, sa.CTE] = field(default_factory=dict, compare=False, repr=False)

    def shared(self, name: str, build: Callable[[], sa.Select]) -> sa.CTE:
        """An intermediate result several cohorts read (everyone's count of active
        medicines on the last day), as one named CTE per context: the cohorts computed
        together in one statement (compute.py) share it, so the database works it out
        once per run instead of once per indicator."""
        if name not in self._shared:
            self._shared[name] = build().cte(name)
        return self._shared[name]

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    @property
    def since(self) -> dt.datetime:
        """The period's first moment: local midnight at its start, in UTC."""
        return clock.start_of_day(self.period.start)

    @property
    def until(self) -> dt.datetime:
        """The first moment after the period: local midnight after its last day, in UTC."""
        return clock.start_of_day(self.period.end + dt.timedelta(days=1))

    @property
    def now(self) -> dt.datetime:
        """The start of today, local time, in UTC."""
        return clock.start_of_day(self.today)


def row(person_id, num, den=None, value=None, *, service_id=None, district=None) -> tuple:
    """The columns of a cohort (see the module's docstring). The statement must join
    Person, through `live`, for the district, unless it gives `district` (an
    intermediate that already joined live people and carries it)."""
    columns = [
        person_id.label("person_id"),
        sa.cast(num, sa.Integer).label("num"),
        sa.cast(den if den is not None else sa.literal(1), sa.Integer).label("den"),
        sa.cast(value if value is not None else sa.null(), sa.Float).label("value"),
        (district if district is not None else sql.outward_code(Person.postcode)).label("district"),
    ]
    if service_id is not None:
        columns.append(service_id.label("service_id"))
    return tuple(columns)


def flag(condition) -> sa.Case:
    return sa.case((condition, 1), else_=0)


def live(stmt: sa.Select, person_id) -> sa.Select:
    """Only live records count: a merged record's history has moved to the survivor."""
    return stmt.join(Person, Person.id == person_id).where(Person.status == RecordStatus.LIVE)


def aged(age, ages: tuple[int | None, int | None]):
    """An age band from a definition's parameters: [youngest, oldest], either open (null)."""
    youngest, oldest = ages
    if oldest is None:
        return age >= youngest
    if youngest is None:
        return age <= oldest
    return age.between(youngest, oldest)


def episodes(num, den, *where) -> sa.Select:
    """Episodes of live people, one row each, narrowable by service and strand."""
    stmt = sa.select(*row(Episode.person_id, num, den, service_id=Episode.service_id))
    return live(stmt, Episode.person_id).where(*where)


def open_on(day: dt.date):
    return sa.and_(
        Episode.started_on <= day, sa.or_(Episode.ended_on.is_(None), Episode.ended_on > day)
    )


def filters_of(stmt: sa.Select) -> set[str]:
    """The filters a cohort can be narrowed by: those whose column it selects."""
    columns = set(stmt.selected_columns.keys())
    return {name for name, column in FILTER_COLUMNS.items() if column in columns}


def narrowed(stmt: sa.Select, filters: Filters) -> sa.Select:
    """The cohort's rows within the filters. Asking for a filter the cohort has no column
    for is a mistake (Filters.applies_to says which apply) and fails loudly."""
    if not filters.as_dict():
        return stmt
    rows = stmt.subquery()
    conditions = []
    if filters.area:
        districts = sa.select(PostcodeDistrict.district).where(
            PostcodeDistrict.area_code == filters.area
        )
        conditions.append(rows.c[FILTER_COLUMNS["area"]].in_(districts))
    if filters.service:
        services = sa.select(Service.id).where(Service.code == filters.service)
        conditions.append(rows.c[FILTER_COLUMNS["service"]].in_(services))
    if filters.strand:
        strand = sa.select(Service.id).join(Strand).where(Strand.code == filters.strand)
        conditions.append(rows.c[FILTER_COLUMNS["strand"]].in_(strand))
    return sa.select(rows).where(*conditions)
