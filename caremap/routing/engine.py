"""Routing: which services a referral goes to, and why. Pure functions over facts and rules.

A rule fires when every condition it states holds. Every rule that fires
contributes its target services; when none fires the referral goes to the
single point of access triage service. Nothing here knows a service by name:
the services are whatever the rules (data) say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FALL_THROUGH_SERVICE = "spa_triage"


@dataclass(frozen=True)
class Facts:
    needs: frozenset[str]
    urgency: str
    source: str
    age: int
    area: str | None
    open_services: frozenset[str] = frozenset()

    def as_dict(self) -> dict[str, Any]:
        return {
            "needs": sorted(self.needs),
            "urgency": self.urgency,
            "source": self.source,
            "age": self.age,
            "area": self.area,
            "open_services": sorted(self.open_services),
        }


@dataclass(frozen=True)
class RuleView:
    """What the engine needs of a rule (a RoutingRule row or a rule being previewed)."""

    id: int | None
    code: str
    version: int
    name: str
    priority: int
    conditions: dict[str, Any]
    targets: list[str]
    actions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Firing:
    rule: RuleView
    matched: list[str]

    def explain(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule.id,
            "rule": self.rule.code,
            "version": self.rule.version,
            "name": self.rule.name,
            "priority": self.rule.priority,
            "matched": self.matched,
            "actions": self.rule.actions,
        }


@dataclass(frozen=True)
class Route:
    """One target service and the rules that sent the referral there."""

    service: str
    firings: list[Firing]

    @property
    def fell_through(self) -> bool:
        return not self.firings

    def explanation(self) -> list[dict[str, Any]]:
        if self.fell_through:
            return [
                {
                    "rule": None,
                    "matched": ["no routing rule matched these facts"],
                    "name": "Sent to single point of access triage",
                }
            ]
        return [firing.explain() for firing in self.firings]

    @property
    def actions(self) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for firing in self.firings:
            merged.update(firing.rule.actions)
        return merged


def age_on(born: dt.date, day: dt.date) -> int:
    years = day.year - born.year
    return years - ((day.month, day.day) < (born.month, born.day))


def postcode_area(postcode: str | None) -> str | None:
    return postcode.split(" ")[0] if postcode else None


def _any_of(have: frozenset[str], listed: list[str], says: str) -> str | None:
    hit = sorted(have & set(listed))
    return f"{says} {', '.join(hit)}" if hit else None


def _needs_all(facts: Facts, codes: list[str]) -> str | None:
    if not set(codes) <= facts.needs:
        return None
    return f"needs include all of {', '.join(sorted(codes))}"


def _needs_count(facts: Facts, spec: dict[str, Any]) -> str | None:
    hit = sorted(facts.needs & set(spec["codes"]))
    low, high = spec.get("min"), spec.get("max")
    if (low is not None and len(hit) < low) or (high is not None and len(hit) > high):
        return None
    bounds = " and ".join(
        part
        for part in (
            f"at least {low}" if low is not None else "",
            f"at most {high}" if high is not None else "",
        )
        if part
    )
    return f"{len(hit)} of {', '.join(spec['codes'])} ({bounds}): {', '.join(hit) or 'none'}"


def _none_of(facts: Facts, services: list[str]) -> str | None:
    if facts.open_services & set(services):
        return None
    return f"not already open to {', '.join(sorted(services))}"


# Each condition a rule may state, in the order an explanation lists them: what the facts
# matched, or None when they fail it.
_CONDITIONS: dict[str, Callable[[Facts, Any], str | None]] = {
    "needs_any": lambda facts, codes: _any_of(facts.needs, codes, "needs include"),
    "needs_all": _needs_all,
    "needs_count": _needs_count,
    "urgency_in": lambda facts, urgencies: (
        f"urgency is {facts.urgency}" if facts.urgency in urgencies else None
    ),
    "sources_any": lambda facts, sources: (
        f"source is {facts.source}" if facts.source in sources else None
    ),
    "age_min": lambda facts, age: f"age {facts.age} is {age} or over" if facts.age >= age else None,
    "age_max": lambda facts, age: (
        f"age {facts.age} is {age} or under" if facts.age <= age else None
    ),
    "areas_any": lambda facts, areas: f"lives in {facts.area}" if facts.area in areas else None,
    "open_service_any": lambda facts, services: _any_of(
        facts.open_services, services, "already open to"
    ),
    "no_open_service_any": _none_of,
}


def evaluate(rule: RuleView, facts: Facts) -> Firing | None:
    """The rule's firing with the facts it matched, or None when any condition fails.

    A condition left out (or given as an empty list) is not checked; an age of 0 is."""
    matched: list[str] = []
    for key, check in _CONDITIONS.items():
        value = rule.conditions.get(key)
        if value is None or value == [] or value == {}:
            continue
        said = check(facts, value)
        if said is None:
            return None
        matched.append(said)
    return Firing(rule, matched)


def route(facts: Facts, rules: list[RuleView]) -> list[Route]:
    """Every target of every rule that fires, in the order of the rules' priority."""
    by_service: dict[str, list[Firing]] = {}
    for rule in sorted(rules, key=lambda r: (r.priority, r.code)):
        firing = evaluate(rule, facts)
        if firing is None:
            continue
        for service in rule.targets:
            by_service.setdefault(service, []).append(firing)
    if not by_service:
        return [Route(FALL_THROUGH_SERVICE, [])]
    return [Route(service, firings) for service, firings in by_service.items()]


_OPEN_SERVICE_FACTS = ("already open to", "not already open to")
WITHHELD = "what the person already has from services (not shown without a care relationship)"


def withhold_open_services(explanation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An explanation fit for someone without a relationship to the person: which services
    the person already uses is part of their record, so it is not shown."""
    return [
        {
            **entry,
            "matched": [
                WITHHELD if m.startswith(_OPEN_SERVICE_FACTS) else m
                for m in entry.get("matched", [])
            ],
        }
        for entry in explanation
    ]


def withhold_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in facts.items() if key != "open_services"}
