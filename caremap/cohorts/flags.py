"""The multiple-needs cohort flag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from caremap.cohorts.queries import latest_assessments
from caremap.flags import Among, Flag, FlagSource

_SEVERITY = {"core": "high", "edge": "warning", "stable": "info"}


def _cohort_rows(among: Among, today: dt.date) -> sa.Select:
    latest = latest_assessments()
    return sa.select(latest.c.person_id, latest.c.cohort.label("text1")).where(
        among(latest.c.person_id), latest.c.cohort.is_not(None)
    )


def _cohort_flags(people: Sequence, rows: list) -> dict[int, list[Flag]]:
    return {
        row.person_id: [
            Flag(
                "cohort",
                f"Multiple needs: {row.text1}",
                _SEVERITY[row.text1],
                None,
                None,
                f"/people/{row.person_id}/needs",
            )
        ]
        for row in rows
    }


cohort_flags = FlagSource(_cohort_rows, _cohort_flags)
