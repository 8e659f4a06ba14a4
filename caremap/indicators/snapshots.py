"""Snapshots: the figures of a period frozen for a board report, and what changed since.

Records are corrected after the fact (a day-91 outcome recorded late, a merge, a
backdated discharge), so figures computed again later differ. A board report quotes a
snapshot, which never changes; comparing it with a fresh computation names the people
whose records moved each figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from caremap.audit import operations as audit
from caremap.core.extensions import db
from caremap.indicators.compute import figures_and_people
from caremap.indicators.models import IndicatorSnapshot
from caremap.indicators.periods import Period, parse_period
from caremap.indicators.results import Filters

_PARTS = ("numerator", "denominator")


def _figures(
    period: Period, filters: Filters, today: dt.date | None
) -> tuple[dict[str, dict], dict[str, dict]]:
    """The figures of every indicator, and apart from them the people behind each: one
    statement reads each cohort once for both (a median's middle is one more)."""
    results, people = figures_and_people(period=period, filters=filters, today=today)
    figures = {result.code: result.as_dict() for result in results}
    return figures, {code: people[code] for code in figures}


def take_snapshot(
    *,
    actor: Any,
    period: Period,
    filters: Filters | None = None,
    label: str | None = None,
    today: dt.date | None = None,
) -> IndicatorSnapshot:
    """Compute and keep the figures of a period, with the people behind each."""
    filters = filters or Filters()
    figures, people = _figures(period, filters, today)
    snapshot = IndicatorSnapshot(
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        filters=filters.as_dict(),
        label=label,
        computed_by_id=getattr(actor, "id", None),
        results=figures,
        people=people,
    )
    db.session.add(snapshot)
    db.session.flush()
    audit.record(
        actor,
        "indicators.snapshot",
        changes={"snapshot_id": snapshot.id, "period": period.code, "filters": filters.as_dict()},
    )
    return snapshot


@dataclass
class SnapshotChange:
    code: str
    name: str
    before: dict[str, Any]
    after: dict[str, Any]
    added_to_numerator: list[int] = field(default_factory=list)
    removed_from_numerator: list[int] = field(default_factory=list)
    added_to_denominator: list[int] = field(default_factory=list)
    removed_from_denominator: list[int] = field(default_factory=list)


_FIGURES = ("value", "numerator", "denominator")


def compare_with_snapshot(
    snapshot: IndicatorSnapshot, *, today: dt.date | None = None
) -> list[SnapshotChange]:
    """The indicators whose figures or people differ now from the snapshot, and who moved."""
    period = parse_period(snapshot.period)
    figures, people = _figures(period, Filters(**(snapshot.filters or {})), today)
    changes = []
    for code, after in figures.items():
        before = snapshot.results.get(code)
        if before is None:  # an indicator defined after the snapshot was taken
            continue
        moved = {}
        for part in _PARTS:
            was = set(snapshot.people.get(code, {}).get(part, []))
            is_ = set(people[code][part])
            moved[f"added_to_{part}"] = sorted(is_ - was)
            moved[f"removed_from_{part}"] = sorted(was - is_)
        if any(moved.values()) or any(before[k] != after[k] for k in _FIGURES):
            changes.append(
                SnapshotChange(
                    code=code,
                    name=after["name"],
                    before={k: before[k] for k in _FIGURES},
                    after={k: after[k] for k in _FIGURES},
                    **moved,
                )
            )
    return changes
