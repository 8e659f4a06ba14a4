"""The cohort rule, written as data (seed/cohort_rules.json), checked by a schema."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.core.schemas import ArgsSchema
from caremap.core.seeds import read_seed


class CohortRuleArgs(ArgsSchema):
    cohort = fields.Enum(Cohort, by_value=True, required=True)
    min_needs = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    stability_in = fields.List(fields.Enum(Stability, by_value=True))
    engagement_in = fields.List(fields.Enum(Engagement, by_value=True))


class CohortRulesArgs(ArgsSchema):
    source = fields.String(load_default="")
    domains = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    rules = fields.List(
        fields.Nested(CohortRuleArgs), required=True, validate=validate.Length(min=1)
    )


@lru_cache(maxsize=1)
def cohort_rules() -> dict[str, Any]:
    try:
        return CohortRulesArgs().load(read_seed("cohort_rules.json"))
    except ma.ValidationError as error:  # a broken rule file must stop the app, loudly
        raise RuntimeError(f"seed/cohort_rules.json is not valid: {error.messages}") from error


def derive_cohort(
    *, needs: dict[str, bool], engagement: Engagement, stability: Stability
) -> Cohort | None:
    """The first rule that matches decides; fewer needs than any rule asks for: no cohort."""
    rules = cohort_rules()
    count = sum(1 for domain in rules["domains"] if needs.get(domain))
    for rule in rules["rules"]:
        if count < rule["min_needs"]:
            continue
        if rule.get("stability_in") and stability not in rule["stability_in"]:
            continue
        if rule.get("engagement_in") and engagement not in rule["engagement_in"]:
            continue
        return rule["cohort"]
    return None
