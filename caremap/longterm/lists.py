"""The CLD Release 2 value lists, read once from seed/cld/<list>.json.

A coded column holds the list's text itself ("Long term support: Nursing care"), so the
CLD return copies it as it is; these lists are what a form offers and what input must match
exactly (case included, as the national validation does).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import marshmallow as ma

from caremap.core.seeds import read_seed

# Every list a longterm column takes its values from (seed/cld/<name>.json).
LISTS = (
    "client_type",
    "primary_support_reason",
    "accommodation_status",
    "employment_status",
    "ethnicity",
    "impairment",
    "client_funding_status",
    "event_outcome",
    "assessment_type",
    "method_of_assessment",
    "service_type",
    "service_component",
    "delivery_mechanism",
    "cost_frequency",
    "review_reason",
    "review_outcomes_achieved",
    "method_of_review",
    "route_of_access",
)


@cache
def cld_list(name: str) -> dict[str, Any]:
    """The whole seed file: values, source, whether it was verified."""
    return read_seed(f"cld/{name}.json")


def values(name: str) -> tuple[str, ...]:
    return tuple(cld_list(name)["values"])


class OneOfList(ma.validate.Validator):
    """A value from a CLD list, exactly; the error says which list, and the nearest
    spelling when only the case differs (Release 2 changed the case of many values)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: str) -> str:
        allowed = values(self.name)
        if value in allowed:
            return value
        same_letters = [v for v in allowed if v.lower() == value.lower()]
        if same_letters:
            raise ma.ValidationError(f"must be spelled “{same_letters[0]}” (CLD Release 2)")
        raise ma.ValidationError(
            f"is not on the CLD {cld_list(self.name)['cld_field']} list (Release 2)"
        )


def starts_planned(review_reason: str) -> bool:
    """CLD tells a planned review from an unplanned one by the reason's prefix."""
    return review_reason.startswith("Planned")


def nhs_dd_ethnic_code(ethnicity: str | None) -> str | None:
    """The NHS Data Dictionary ethnic category code of a CLD ethnicity (FHIR, health feeds)."""
    if ethnicity is None:
        return None
    return cld_list("ethnicity")["nhs_dd_code"].get(ethnicity)
