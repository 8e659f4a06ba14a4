"""Every answer the record can hold on a concluded s42 enquiry lands in a row or column the
collection's layout (seed/sac/tables.json) has: a code renamed on either side fails here,
not as a silently short table (a mental-health hospital once mapped to no row of SG2b)."""

from __future__ import annotations

import pytest

from caremap.core.seeds import read_seed
from caremap.returns import sac
from caremap.safeguarding.enums import (
    AbuseCategory,
    ActionResult,
    LackedCapacity,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
)

LAYOUT = {table["code"]: table for table in read_seed("sac/tables.json")["tables"]}


def keys(code: str, part: str) -> set[str]:
    entries = LAYOUT[code][part]
    if isinstance(entries, str):  # "columns": "SG1a" borrows another table's columns
        entries = LAYOUT[entries][part]
    return {entry["key"] for entry in entries}


@pytest.mark.parametrize(
    ("mapping", "enum", "table", "part", "without"),
    [
        (sac.RISK_TYPE, AbuseCategory, "SG2a", "rows", set()),
        # "Not known yet" answers a concern only; an enquiry cannot conclude with it
        (sac.RISK_SOURCE, RiskSource, "SG2a", "columns", {RiskSource.UNKNOWN}),
        (sac.RISK_LOCATION, RiskLocation, "SG2b", "rows", set()),
        (sac.RISK_SOURCE, RiskSource, "SG2b", "columns", {RiskSource.UNKNOWN}),
        (sac.ACTION_RESULT, ActionResult, "SG2c", "rows", set()),
        (sac.RISK_OUTCOME, RiskOutcome, "SG2e", "rows", set()),
        (sac.LACKED_CAPACITY, LackedCapacity, "SG3a", "rows", set()),
        (sac.MSP_ASKED, MspAsked, "SG4a", "rows", set()),
        (sac.OUTCOMES_ACHIEVED, OutcomesAchieved, "SG4a", "columns", set()),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_member_has_a_place_in_the_layout(mapping, enum, table, part, without):
    missing = f"{enum.__name__} members without a {table} {part[:-1]}"
    assert set(mapping) == set(enum) - without, missing
    assert set(mapping.values()) <= keys(table, part), f"{table} has no such {part[:-1]}"
