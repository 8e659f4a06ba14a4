"""The read side of the indicator pages and API: figures (stored or live), trends, drill-down.

The dashboard reads a period's newest snapshot when there is one (a board's frozen
figures, one query); otherwise a closed period's figures stored by `caremap indicators
close-periods` (caremap/indicators/stored.py, one query), and computes live only the
open period and any indicator not stored yet. A trend reads all its closed periods in
one query and computes the open one live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from caremap.access.policy import related_person_ids
from caremap.audit import operations as audit
from caremap.audit.models import AuditEvent
from caremap.catalogue.models import Service, Strand
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.indicators import recent
from caremap.indicators.compute import compute_indicators, members
from caremap.indicators.definitions import Definition, definition, definitions
from caremap.indicators.formatting import format_value
from caremap.indicators.models import Area, IndicatorSnapshot
from caremap.indicators.periods import Period, last_complete, parse_period, period_containing
from caremap.indicators.results import Filters, IndicatorResult
from caremap.indicators.stored import stored_results as stored_period_results
from caremap.people.models import Person

PARTS = ("numerator", "denominator")
TREND_LENGTHS = {"month": 12, "quarter": 8}
DRILL_DOWN_PAGE = 100


@dataclass
class Figures:
    period: Period
    filters: Filters
    results: list[IndicatorResult]
    snapshot: IndicatorSnapshot | None = None  # the figures are this snapshot's, when set
    # the indicators computed live for this view (the rest were stored figures)
    live_codes: tuple[str, ...] = ()
    # when the live ones were computed (the oldest of them: kept up to a minute)
    live_at: dt.datetime | None = None

    @property
    def source(self) -> str:
        """snapshot, stored (every figure from close-periods), live, or mixed."""
        if self.snapshot is not None:
            return "snapshot"
        if not self.live_codes:
            return "stored"
        return "live" if len(self.live_codes) == len(self.results) else "mixed"

    @property
    def stored_at(self) -> dt.datetime | None:
        """When the oldest stored figure shown was computed (by close-periods)."""
        times = [r.computed_at for r in self.results if r.computed_at is not None]
        return min(times) if times else None


def _figure(value: float | None) -> float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def stored_results(snapshot_id: int, period: Period) -> list[IndicatorResult]:
    """A snapshot's figures, in definition order, read in one query.

    Only the figures column is read; the people behind each figure (megabytes of ids at
    city scale) are in a column of their own that only "what changed since" loads.
    """
    stored = db.session.scalar(
        sa.select(IndicatorSnapshot.results).where(IndicatorSnapshot.id == snapshot_id)
    )
    results = []
    for d in definitions():
        figures = stored.get(d.code)
        if figures is None:  # defined after the snapshot was taken
            continue
        results.append(
            IndicatorResult(
                definition=d,
                period=period,
                value=_figure(figures["value"]),
                numerator=_figure(figures["numerator"]),
                denominator=_figure(figures["denominator"]),
                rag=figures["rag"],
                note=figures.get("note"),
            )
        )
    return results


def results_of_snapshot(snapshot: IndicatorSnapshot) -> list[IndicatorResult]:
    """A snapshot's stored figures, never recomputed: a board report quotes them."""
    return stored_results(snapshot.id, parse_period(snapshot.period))


def newest_snapshot(period: Period, filters: Filters) -> IndicatorSnapshot | None:
    """The newest snapshot of exactly this period and these filters (its figures unread)."""
    wanted = filters.as_dict()
    candidates = db.session.execute(
        sa.select(IndicatorSnapshot.id, IndicatorSnapshot.filters)
        # a quarter kept before quarters were named by the financial year has its old code
        .where(IndicatorSnapshot.period.in_(period.codes))
        .order_by(IndicatorSnapshot.computed_at.desc(), IndicatorSnapshot.id.desc())
    )
    found = next((id_ for id_, kept in candidates if (kept or {}) == wanted), None)
    if found is None:
        return None
    return db.session.get(IndicatorSnapshot, found)


def snapshot_list(period: Period | None = None) -> list[IndicatorSnapshot]:
    """Snapshots, newest first (the people behind their figures are not loaded)."""
    stmt = sa.select(IndicatorSnapshot).order_by(
        IndicatorSnapshot.computed_at.desc(), IndicatorSnapshot.id.desc()
    )
    if period is not None:
        stmt = stmt.where(IndicatorSnapshot.period.in_(period.codes))
    return list(db.session.scalars(stmt))


def _stored_or_live(
    periods: list[Period],
    filters: Filters,
    *,
    codes: list[str] | None = None,
    live: bool = False,
    today: dt.date | None = None,
) -> tuple[dict[str, list[IndicatorResult]], dict[str, tuple[str, ...]], dt.datetime | None]:
    """Each period's results in definition order: stored where a closed period has them
    (unless `live`), computed for the rest; which codes of each were computed; and when
    the oldest of those was (the open period's are kept for a minute, recent.py; `live`
    computes them now)."""
    wanted = [d.code for d in definitions() if codes is None or d.code in codes]
    day = today or clock.today()
    with db.reads_from_replica():  # figures that may lag by the replica's delay
        stored = {} if live else stored_period_results(periods, filters, codes=wanted, today=day)
    out, computed, oldest = {}, {}, None
    for period in periods:
        have = stored.get(period.code, {})
        missing = [code for code in wanted if code not in have]
        fresh: dict[str, IndicatorResult] = {}
        if missing and live:
            fresh = {
                r.code: r
                for r in compute_indicators(
                    period=period, filters=filters, codes=missing, today=day
                )
            }
            oldest = utcnow()
        elif missing:
            fresh, when = recent.live_results(
                period=period, filters=filters, codes=missing, today=day
            )
            oldest = min([t for t in (oldest, *when.values()) if t is not None], default=None)
        out[period.code] = [have.get(code) or fresh[code] for code in wanted]
        computed[period.code] = tuple(missing)
    return out, computed, oldest


def figures(
    *, period: Period, filters: Filters, live: bool = False, today: dt.date | None = None
) -> Figures:
    """A snapshot's figures when the period has one; else a closed period's stored
    figures, and live ones for the open period or whatever is not stored (all live when
    `live` is asked)."""
    if not live:
        snapshot = newest_snapshot(period, filters)
        if snapshot is not None:
            return Figures(period, filters, stored_results(snapshot.id, period), snapshot)
    results, computed, when = _stored_or_live([period], filters, live=live, today=today)
    return Figures(
        period, filters, results[period.code], live_codes=computed[period.code], live_at=when
    )


def one_figure(
    *, code: str, period: Period, filters: Filters, today: dt.date | None = None
) -> IndicatorResult:
    """One indicator's figures: a snapshot's when the period has one, else stored or
    computed alone."""
    snapshot = newest_snapshot(period, filters)
    if snapshot is not None:
        stored = [r for r in stored_results(snapshot.id, period) if r.code == code]
        if stored:
            return stored[0]
    results, _, _ = _stored_or_live([period], filters, codes=[code], today=today)
    return results[period.code][0]


def trend_periods(period: Period, kind: str, *, today: dt.date | None = None) -> list[Period]:
    """The last 12 months or 8 quarters up to the end of `period` (or today, if sooner)."""
    today = today or clock.today()
    last_day = min(period.end, today)
    end = period_containing(last_day, kind)
    return end.trend(TREND_LENGTHS[kind])


def trend(
    *, code: str, period: Period, kind: str, filters: Filters, today: dt.date | None = None
) -> list[IndicatorResult]:
    """One indicator over the trend's periods, oldest first: the closed periods' stored
    figures (one query), the open one and anything not stored computed."""
    return trends(period=period, kind=kind, filters=filters, codes=[code], today=today).get(
        code, []
    )


def trends(
    *,
    period: Period,
    kind: str,
    filters: Filters,
    codes: list[str] | None = None,
    today: dt.date | None = None,
) -> dict[str, list[IndicatorResult]]:
    """Every indicator's (or `codes`') trend, oldest first, {code: results}: what the
    dashboard's sparklines read. Stored figures for closed periods, in one query."""
    periods = trend_periods(period, kind, today=today)
    results, _, _ = _stored_or_live(periods, filters, codes=codes, today=today)
    out: dict[str, list[IndicatorResult]] = {}
    for each in periods:
        for result in results[each.code]:
            out.setdefault(result.code, []).append(result)
    return out


def default_period(*, today: dt.date | None = None) -> Period:
    """The last complete financial year: whole, and comparable with England's figures."""
    return last_complete("year", today=today or clock.today())


def period_and_filters(args: dict[str, Any]) -> tuple[Period, Filters]:
    """The period and filters a page or the API was asked for (loaded by an
    IndicatorFilterArgs schema), the period defaulting as everywhere else."""
    return args["period"] or default_period(), Filters.from_args(args)


def period_choices(*, today: dt.date | None = None) -> list[tuple[str, str]]:
    """Financial years (this one to date, then the last four), their quarters (named as
    the financial year names them: 2025-26 Q1 is April–June 2025) and months."""
    today = today or clock.today()
    choices: list[tuple[str, str]] = []
    year = period_containing(today, "year")
    choices.append((year.code, f"Financial year {year.label} – to date"))
    for _ in range(4):
        year = year.previous()
        choices.append((year.code, f"Financial year {year.label}"))
    quarter = period_containing(today, "quarter")
    choices.append((quarter.code, f"Quarter {quarter.label} – to date"))
    for _ in range(7):
        quarter = quarter.previous()
        choices.append((quarter.code, f"Quarter {quarter.label}"))
    month = period_containing(today, "month")
    choices.append((month.code, f"{month.label} – to date"))
    for _ in range(11):
        month = month.previous()
        choices.append((month.code, month.label))
    return choices


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Strands and services from the catalogue, areas from the areas table."""
    strands = db.session.execute(sa.select(Strand.code, Strand.name).order_by(Strand.name)).all()
    services = db.session.execute(
        sa.select(Service.code, Service.name).order_by(Service.name)
    ).all()
    areas = db.session.execute(sa.select(Area.code, Area.name).order_by(Area.name)).all()
    return {
        "strand": [(c, n) for c, n in strands],
        "service": [(c, n) for c, n in services],
        "area": [(c, n) for c, n in areas],
    }


def check_filters(filters: Filters) -> None:
    """Each filter given must name a strand, service or area that exists."""
    for name, column in (
        ("strand", Strand.code),
        ("service", Service.code),
        ("area", Area.code),
    ):
        value = getattr(filters, name)
        if value and db.session.scalar(sa.select(sa.func.count()).where(column == value)) == 0:
            raise DomainError(f"there is no {name} {value!r}", field=name)


# ---- drill-down ------------------------------------------------------------------


@dataclass
class DrillDown:
    definition: Definition
    period: Period
    part: str
    total: int  # everyone behind the figure
    related_total: int  # those the viewer has a relationship with
    shown: list[Person] = field(default_factory=list)  # this page of them, by name
    page: int = 1

    @property
    def others(self) -> int:
        return self.total - self.related_total

    @property
    def pages(self) -> int:
        return max(1, -(-self.related_total // DRILL_DOWN_PAGE))


def drill_down(
    *,
    viewer,
    code: str,
    period: Period,
    part: str,
    filters: Filters,
    page: int = 1,
    today: dt.date | None = None,
) -> DrillDown:
    """The people behind a figure whom the viewer may see (by name), and a count of the rest.

    The relationship rule is the record's (caremap.access.policy), applied to the whole
    cohort in one query. The people shown are audited as reads, and the drill-down itself
    once, with its counts.
    """
    found = definition(code)
    if found is None:
        raise KeyError(code)
    if part not in PARTS:
        raise DomainError("must be numerator or denominator", field="part")
    ids = members(code=code, period=period, filters=filters, part=part, today=today)
    related = sorted(related_person_ids(viewer, ids)) if ids else []
    start = (page - 1) * DRILL_DOWN_PAGE
    page_ids = related[start : start + DRILL_DOWN_PAGE]
    people = []
    if page_ids:
        by_id = {
            p.id: p for p in db.session.scalars(sa.select(Person).where(Person.id.in_(page_ids)))
        }
        people = sorted(
            (by_id[i] for i in page_ids if i in by_id),
            key=lambda p: (p.family_name.lower(), p.given_name.lower(), p.id),
        )
    result = DrillDown(
        definition=found,
        period=period,
        part=part,
        total=len(ids),
        related_total=len(related),
        shown=people,
        page=page,
    )
    audit.record_reads(viewer, "indicators.drill_down", [p.id for p in people])
    audit.record(
        viewer,
        "indicators.drill_down",
        changes={
            "code": code,
            "period": period.code,
            "part": part,
            "filters": filters.as_dict(),
            "counts": {
                "total": result.total,
                "related": result.related_total,
                "shown": len(people),
                "others": result.others,
            },
        },
    )
    return result


def people_behind(viewer, *, code: str, args: dict[str, Any]) -> tuple[Period, Filters, DrillDown]:
    """The people behind a figure as a page or the API asked for them (IndicatorPeopleArgs):
    both answer from the same period, filters, part and page."""
    period, filters = period_and_filters(args)
    drill = drill_down(
        viewer=viewer,
        code=code,
        period=period,
        part=args["part"],
        filters=filters,
        page=args["page"],
    )
    return period, filters, drill


def names_for(viewer, ids: list[int]) -> dict[int, str]:
    """Names of the people among `ids` the viewer is related to (the others stay numbers)."""
    related = related_person_ids(viewer, ids) if ids else set()
    if not related:
        return {}
    ordered = sorted(related)
    names = {}
    for start in range(0, len(ordered), 5000):  # SQLite binds at most 32,766 parameters
        rows = db.session.execute(
            sa.select(Person.id, Person.given_name, Person.family_name).where(
                Person.id.in_(ordered[start : start + 5000])
            )
        )
        names.update({pid: f"{given} {family}" for pid, given, family in rows})
    return names


def named_changes(viewer, changes) -> list[dict]:
    """Each change with the people who moved it: named if the viewer is related to them."""
    everyone = sorted(
        {pid for change in changes for part in _MOVES for pid in getattr(change, part)}
    )
    names = names_for(viewer, everyone)
    audit.record_reads(viewer, "indicators.snapshot_changes", sorted(names))
    out = []
    for change in changes:
        d = definition(change.code)
        unit = d.unit if d else "count"
        item = {
            "code": change.code,
            "name": change.name,
            "before": change.before,
            "after": change.after,
            "before_text": format_value(change.before.get("value"), unit),
            "after_text": format_value(change.after.get("value"), unit),
        }
        for part in _MOVES:
            ids = getattr(change, part)
            item[part] = {
                "count": len(ids),
                "people": [{"id": i, "name": names[i]} for i in ids if i in names],
            }
        out.append(item)
    return out


_MOVES = (
    "added_to_numerator",
    "removed_from_numerator",
    "added_to_denominator",
    "removed_from_denominator",
)


def holds_a_synthetic_city() -> bool:
    """Whether the database holds a generated city (the demo, a benchmark): its people
    are spread over real areas whose real populations divide them, so a rate per
    population says nothing about a real place. The generator audits itself."""
    return bool(
        db.session.scalar(
            sa.select(AuditEvent.id).where(AuditEvent.action == "synthetic.city_generated").limit(1)
        )
    )
