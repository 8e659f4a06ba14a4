"""Computed together, as the engine does, the figures and people equal each indicator's
computed alone: one statement for every indicator's sums (sharing what cohorts share)
and one for everyone behind them mix nothing up."""

from __future__ import annotations

import pytest

from caremap.indicators.compute import (
    compute_indicators,
    everyone_behind,
    figures_and_people,
    members,
)
from caremap.indicators.definitions import definitions
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD, TODAY

FIELDS = ("value", "numerator", "denominator", "rag", "note")


@pytest.mark.parametrize("period_code", [PERIOD, "2025-26-Q3", "2026-03"])
@pytest.mark.parametrize("filters", [Filters(area=AREA), Filters(area=AREA, strand="urgent_care")])
def test_together_equals_alone(ctx, period_code, filters):
    hand_counted.build()
    period = parse_period(period_code)
    together = compute_indicators(period=period, filters=filters, today=TODAY)
    assert [r.code for r in together] == [d.code for d in definitions()]
    for result in together:
        [alone] = compute_indicators(
            period=period, filters=filters, codes=[result.code], today=TODAY
        )
        assert [getattr(result, f) for f in FIELDS] == [getattr(alone, f) for f in FIELDS]

    people = everyone_behind(period=period, filters=filters, today=TODAY)
    for d in definitions():
        for part in ("numerator", "denominator"):
            alone = members(code=d.code, period=period, filters=filters, part=part, today=TODAY)
            assert people[d.code][part] == alone, (d.code, part)
    assert any(people[d.code]["numerator"] for d in definitions())

    # a snapshot's one pass: the figures from the per-person sums equal the rows' sums
    figures, with_people = figures_and_people(period=period, filters=filters, today=TODAY)
    assert [[getattr(r, f) for f in FIELDS] for r in figures] == [
        [getattr(r, f) for f in FIELDS] for r in together
    ]
    assert with_people == people


def test_the_medicines_indicators_share_one_count(ctx):
    city = hand_counted.build()
    period = parse_period(PERIOD)
    people = everyone_behind(period=period, filters=Filters(area=AREA), today=TODAY)
    # two people take four or more medicines on the last day, one of them ten or more
    assert len(people["MED-POLYPHARMACY"]["numerator"]) == 2
    assert set(people["MED-HIGH-RISK"]["numerator"]) < set(people["MED-POLYPHARMACY"]["numerator"])
    assert people["MED-REVIEWED"]["denominator"] == people["MED-POLYPHARMACY"]["numerator"]
    assert city.names  # the city was built
