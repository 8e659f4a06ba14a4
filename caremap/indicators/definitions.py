"""Indicator definitions: data in seed/indicators.json, checked by a schema when read.

A definition says in words what is counted, and holds the parameters its cohort
function (in caremap/indicators/cohorts/) is called with, so a threshold or an age
band is written once, here in the data, and the words and the SQL cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import marshmallow as ma
from marshmallow import fields

from caremap.core.seeds import read_seed

# "mean": the numerator is the sum of what each row scores (a WEMWBS total), the
# denominator the rows (people) scored; the figure is their quotient
UNITS = ("percent", "rate_per_100000", "count", "median_days", "mean")
FILTERS = ("strand", "service", "area")


class _FigureArgs(ma.Schema):
    value = fields.Float(required=True)
    label = fields.String(required=True)
    source = fields.String(required=True)


class _RagArgs(ma.Schema):
    against = fields.String(required=True, validate=ma.validate.OneOf(("comparator", "none")))
    amber_within_percent = fields.Float(load_default=None)


def _check_ages(ages: Any) -> None:
    if (
        not isinstance(ages, list)
        or len(ages) != 2
        or not all(age is None or (isinstance(age, int) and age >= 0) for age in ages)
    ):
        raise ma.ValidationError("ages are [youngest, oldest], each a whole number or null")
    if None not in ages and ages[0] > ages[1]:
        raise ma.ValidationError("the youngest age is above the oldest")


class IndicatorArgs(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    code = fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Z0-9][A-Z0-9-]+$"))
    # the measure's code in the current ASCOF (2023-24 on), beside the strategy's `code`,
    # where it has one: "2C" for the strategy's ASCOF-2A-65
    ascof_code = fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^[1-9][A-Z](\(\w+\))?$")
    )
    name = fields.String(required=True)
    framework = fields.String(
        required=True, validate=ma.validate.OneOf(("ASCOF", "PHOF", "BCF", "NHSOF", "local"))
    )
    strand = fields.String(required=True)
    cohort = fields.String(required=True)
    numerator = fields.String(required=True)
    denominator = fields.String(required=True)
    unit = fields.String(required=True, validate=ma.validate.OneOf(UNITS))
    population_ages = fields.List(fields.Integer(allow_none=True), load_default=None)
    higher_is_better = fields.Boolean(required=True, allow_none=True)
    comparator = fields.Nested(_FigureArgs, required=True, allow_none=True)
    baseline = fields.Nested(_FigureArgs, required=True, allow_none=True)
    rag = fields.Nested(_RagArgs, required=True)
    filters = fields.List(fields.String(validate=ma.validate.OneOf(FILTERS)), required=True)
    # where the measure and its method come from (published documents, with their dates)
    source = fields.String(load_default=None, allow_none=True)
    # passed to the cohort function as keyword arguments (a test checks they fit it)
    parameters = fields.Dict(
        keys=fields.String(validate=ma.validate.Regexp(r"^[a-z][a-z0-9_]*$")),
        load_default=dict,
    )

    @ma.validates_schema
    def _consistent(self, data: dict[str, Any], **_: Any) -> None:
        cohort_ages = data["parameters"].get("ages")
        if cohort_ages is not None:
            _check_ages(cohort_ages)
        if data.get("population_ages") is not None:
            _check_ages(data["population_ages"])
        if data["unit"] == "rate_per_100000" and not (data.get("population_ages") or cohort_ages):
            raise ma.ValidationError(
                "a rate needs the population's ages (or its cohort's ages parameter)",
                "population_ages",
            )
        if data["rag"]["against"] == "comparator":
            if not data.get("comparator"):
                raise ma.ValidationError("rated against a comparator that is missing", "rag")
            if data.get("higher_is_better") is None:
                raise ma.ValidationError("rating needs a direction", "higher_is_better")


@dataclass(frozen=True)
class Figure:
    value: float
    label: str
    source: str


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    framework: str
    strand: str
    cohort: str
    numerator: str
    denominator: str
    unit: str
    higher_is_better: bool | None
    comparator: Figure | None
    baseline: Figure | None
    amber_within_percent: float | None
    filters: tuple[str, ...]
    population_ages: tuple[int | None, int | None] | None = None
    # (name, value) pairs, values frozen (lists as tuples), so a Definition stays hashable
    parameters: tuple[tuple[str, Any], ...] = ()
    ascof_code: str | None = None
    source: str | None = None

    @property
    def is_rated(self) -> bool:
        return self.amber_within_percent is not None and self.comparator is not None

    def rag(self, value: float | None) -> str | None:
        """green, amber or red against the comparator; None when not rated or no value."""
        if value is None or not self.is_rated:
            return None
        target = self.comparator.value
        shortfall = (target - value) if self.higher_is_better else (value - target)
        if shortfall <= 0:
            return "green"
        if shortfall <= abs(target) * self.amber_within_percent / 100:
            return "amber"
        return "red"


_BUILT = ("comparator", "baseline", "filters", "population_ages", "parameters")


def _frozen(value: Any) -> Any:
    return tuple(_frozen(v) for v in value) if isinstance(value, list) else value


def _population_ages(item: dict[str, Any]) -> tuple[int | None, int | None] | None:
    """A rate's population is of its own ages or, when none are given, of the ages its
    cohort is restricted to (admissions of people aged 65+ per 100,000 people aged 65+):
    one age band, written once."""
    ages = item["population_ages"]
    if ages is None and item["unit"] == "rate_per_100000":
        ages = item["parameters"].get("ages")
    return (ages[0], ages[1]) if ages else None


def parse_definitions(data: dict[str, Any]) -> list[Definition]:
    """Check the definitions file whole before any figure is computed from it: a typo in
    a unit or a parameter fails at start-up, not as a wrong figure in a board report."""
    items = IndicatorArgs(many=True).load(data["indicators"])
    codes = [item["code"] for item in items]
    if len(set(codes)) != len(codes):
        raise ma.ValidationError({"code": ["each indicator code must be unique"]})
    definitions = []
    for item in items:
        ages = _population_ages(item)
        rag = item.pop("rag")
        definitions.append(
            Definition(
                **{k: v for k, v in item.items() if k not in _BUILT},
                comparator=Figure(**item["comparator"]) if item["comparator"] else None,
                baseline=Figure(**item["baseline"]) if item["baseline"] else None,
                amber_within_percent=(
                    rag.get("amber_within_percent") if rag["against"] == "comparator" else None
                ),
                filters=tuple(item["filters"]),
                population_ages=ages,
                parameters=tuple((k, _frozen(v)) for k, v in sorted(item["parameters"].items())),
            )
        )
    return definitions


@cache
def definitions() -> tuple[Definition, ...]:
    """Read once a process: the definitions are files in the release, not rows an admin edits."""
    return tuple(parse_definitions(read_seed("indicators.json")))


def definition(code: str) -> Definition | None:
    """None for an unknown code, so a page can answer 404 rather than fail."""
    return next((d for d in definitions() if d.code == code), None)
