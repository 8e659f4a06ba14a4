"""The multiple-needs cohort flag."""

from __future__ import annotations

from collections.abc import Sequence

from caremap.cohorts.queries import cohorts_of
from caremap.flags import Flag

_SEVERITY = {"core": "high", "edge": "warning", "stable": "info"}


def cohort_flags(people: Sequence) -> dict[int, list[Flag]]:
    return {
        person_id: [
            Flag(
                "cohort",
                f"Multiple needs: {cohort}",
                _SEVERITY[cohort],
                None,
                None,
                f"/people/{person_id}/needs",
            )
        ]
        for person_id, cohort in cohorts_of([p.id for p in people]).items()
    }
