"""Definitions and cohorts pair up: one function per code, called with exactly the
parameters of its JSON entry, in the module named after its strand, and selecting the
columns of exactly the filters its definition declares."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
import re

import marshmallow as ma
import pytest

from caremap.core.seeds import read_seed
from caremap.indicators.cohorts import Context, cohort, cohort_select, filters_of, registered
from caremap.indicators.definitions import definitions, parse_definitions
from caremap.indicators.periods import parse_period

DEFINITIONS = {d.code: d for d in definitions()}
CODES = sorted(DEFINITIONS)


def test_each_definition_has_one_cohort_and_each_cohort_a_definition():
    assert set(registered()) == set(DEFINITIONS)


def test_a_second_cohort_for_a_code_is_refused():
    with pytest.raises(ValueError, match="ASCOF-2B already has a cohort"):
        cohort("ASCOF-2B")(lambda ctx: None)
    assert registered()["ASCOF-2B"].__name__ == "ascof_2b"


@pytest.mark.parametrize("code", CODES)
def test_the_definition_gives_exactly_the_parameters_its_cohort_takes(code):
    takes = inspect.signature(registered()[code]).parameters.values()
    keywords = {p.name for p in takes if p.kind is inspect.Parameter.KEYWORD_ONLY}
    assert {name for name, _ in DEFINITIONS[code].parameters} == keywords


@pytest.mark.parametrize("code", CODES)
def test_the_cohort_is_in_the_module_named_after_its_strand(code):
    module = registered()[code].__module__
    assert module == f"caremap.indicators.cohorts.{DEFINITIONS[code].strand}"


@pytest.mark.parametrize("code", CODES)
def test_the_declared_filters_are_the_columns_the_cohort_selects(ctx, code):
    for period in ("2025-26", "2025-10"):
        context = Context(period=parse_period(period), today=dt.date(2026, 6, 1))
        stmt = cohort_select(DEFINITIONS[code], context)
        assert list(stmt.selected_columns.keys())[:4] == ["person_id", "num", "den", "value"]
        assert filters_of(stmt) == set(DEFINITIONS[code].filters)


def test_a_rate_counts_the_population_of_its_cohorts_ages_unless_told_otherwise():
    assert DEFINITIONS["ASCOF-2A-65"].population_ages == (65, None)
    assert DEFINITIONS["ASCOF-2A-18-64"].population_ages == (18, 64)
    assert DEFINITIONS["BCF-DTOC"].population_ages == (18, None)
    # the whole population, though only some admissions count
    assert DEFINITIONS["LOCAL-AVOIDABLE-ADMISSIONS"].population_ages == (0, None)
    assert DEFINITIONS["ASCOF-2B"].population_ages is None  # a percentage has no population


def _one(code: str, **changes) -> dict:
    data = copy.deepcopy(read_seed("indicators.json"))
    item = next(i for i in data["indicators"] if i["code"] == code)
    item.update(changes)
    data["indicators"] = [item]
    return data


@pytest.mark.parametrize(
    "code, changes, message",
    [
        ("ASCOF-2A-65", {"parameters": {}}, "a rate needs the population's ages"),
        ("ASCOF-2A-65", {"parameters": {"ages": [65]}}, "ages are [youngest, oldest]"),
        ("PAED-BIG6", {"parameters": {"ages": [17, 5]}}, "the youngest age is above"),
        ("SG-CONCERNS", {"parameters": {"Ages": [1, 2]}}, "String does not match"),
    ],
)
def test_definitions_with_broken_parameters_are_refused(code, changes, message):
    with pytest.raises(ma.ValidationError, match=re.escape(message)):
        parse_definitions(_one(code, **changes))
