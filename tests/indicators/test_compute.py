"""Each indicator against figures counted by hand, edge cases of its definition included."""

from __future__ import annotations

import pytest

from caremap.indicators.cohorts import registered
from caremap.indicators.compute import compute_indicators, members
from caremap.indicators.definitions import definitions
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, EXPECTED, PERIOD, TODAY


@pytest.fixture
def city(ctx):
    return hand_counted.build()


def figures(**filters):
    results = compute_indicators(
        period=parse_period(PERIOD), filters=Filters(area=AREA, **filters), today=TODAY
    )
    return {r.code: r for r in results}


def test_every_definition_has_a_cohort_and_a_hand_counted_figure():
    codes = {d.code for d in definitions()}
    assert codes == set(registered()) == set(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_figures_match_the_hand_count(city, code):
    result = figures()[code]
    numerator, denominator, value = EXPECTED[code]
    assert (result.numerator, result.denominator) == (numerator, denominator)
    assert result.value == pytest.approx(value)


def test_ascof_2b_people_behind_the_numerator_and_denominator(city):
    period = parse_period(PERIOD)
    names = {v: k for k, v in city.names.items()}

    def people(part):
        ids = members(
            code="ASCOF-2B", period=period, filters=Filters(area=AREA), part=part, today=TODAY
        )
        return sorted(names[i] for i in ids)

    assert people("numerator") == ["home80", "newyearseve", "turns65"]
    assert people("denominator") == sorted(
        [
            "home80",
            "newyearseve",
            "turns65",
            "diedday90",
            "notrecorded",
            "carehome",
            "hospital",
            "homebutdied",
        ]
    )


def test_ascof_2b_rag_against_england(city):
    result = figures()["ASCOF-2B"]
    assert result.rag == "red"  # 37.5% against 82.5%
    assert result.as_dict()["comparator"] == 82.5


def test_a_quarter_takes_its_own_discharges_for_2b(city):
    result = {
        r.code: r
        for r in compute_indicators(
            period=parse_period("2026-Q1"), filters=Filters(area=AREA), today=TODAY
        )
    }["ASCOF-2B"]
    # a quarter's cohort is its own discharges: only "newyearsday", at home
    assert (result.numerator, result.denominator, result.value) == (1, 1, 100.0)
    empty = compute_indicators(
        period=parse_period("2025-Q2"), filters=Filters(area=AREA), codes=["ASCOF-2B"]
    )[0]
    assert empty.value is None and empty.note == "Nobody in the cohort for this period."


def test_filters_that_do_not_apply_give_no_value(city):
    result = figures(service="reablement")["SG-CONCERNS"]
    assert result.value is None and result.note == "Not available for this filter."


def test_service_filter_narrows_episodes(city):
    assert figures(service="reablement")["ASCOF-2B"].denominator == 8
    assert figures(service="telecare")["ASCOF-2B"].denominator == 0
    assert figures(strand="urgent_care")["REF-NEW"].numerator == 5  # not the telecare one


def test_counts_for_a_month(city):
    result = {
        r.code: r
        for r in compute_indicators(
            period=parse_period("2025-06"), filters=Filters(area=AREA), today=TODAY
        )
    }
    assert result["SG-CONCERNS"].value == 1
    assert result["BCF-DTOC"].numerator == 10  # the 10-day delay in June


def test_without_an_area_the_person_elsewhere_counts(city):
    everywhere = {r.code: r for r in compute_indicators(period=parse_period(PERIOD), today=TODAY)}
    ids = members(code="ASCOF-2B", period=parse_period(PERIOD), part="numerator", today=TODAY)
    assert city.names["elsewhere"] in ids
    assert everywhere["ASCOF-2B"].numerator >= 4
