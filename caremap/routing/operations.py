"""Saving routing rules (a new version each time) and reading the rules in force."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.catalogue.models import Need, Service
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.episodes.enums import EpisodeKind
from caremap.routing.engine import Facts, RuleView, evaluate
from caremap.routing.models import RoutingDecision, RoutingRule
from caremap.routing.queries import current_rule
from caremap.routing.schemas import RoutingRuleArgs, RoutingRuleSetArgs

_CONTENT = ("name", "description", "priority", "conditions", "targets", "actions", "is_active")


def check_references(rule: dict[str, Any]) -> None:
    """Every need and service a rule names must exist: a typo would silently never fire."""
    known_services = set(db.session.scalars(sa.select(Service.code)))
    known_needs = set(db.session.scalars(sa.select(Need.code)))
    for code in rule["targets"]:
        if code not in known_services:
            raise DomainError(f"there is no service with code {code!r}", field="targets")
    conditions = rule["conditions"]
    for key in ("open_service_any", "no_open_service_any"):
        for code in conditions.get(key, []):
            if code not in known_services:
                raise DomainError(
                    f"there is no service with code {code!r}", field=f"conditions.{key}"
                )
    need_codes = [
        *conditions.get("needs_any", []),
        *conditions.get("needs_all", []),
        *conditions.get("needs_count", {}).get("codes", []),
    ]
    for code in need_codes:
        if code not in known_needs:
            raise DomainError(f"there is no need with code {code!r}", field="conditions")
    kind = rule.get("actions", {}).get("episode_kind")
    if kind is not None and kind not in {k.value for k in EpisodeKind}:
        raise DomainError(f"there is no episode kind {kind!r}", field="actions.episode_kind")


def save_rule(*, actor: Any, rule: dict[str, Any]) -> RoutingRule:
    """Add a version of the rule (or the first one), never overwrite: past decisions cite
    the version that made them, so they stay explainable. An unchanged rule is left as it
    is, so loading the seed again adds nothing."""
    check_references(rule)
    current = current_rule(rule["code"])
    if current is not None:
        if all(getattr(current, key) == rule[key] for key in _CONTENT):
            return current
        current.is_current = False
        db.session.flush()
    saved = RoutingRule(
        code=rule["code"],
        version=(current.version + 1) if current else 1,
        created_by_id=getattr(actor, "id", None),
        is_current=True,
        **{key: rule[key] for key in _CONTENT},
    )
    db.session.add(saved)
    db.session.flush()
    audit.record(
        actor, "routing.rule_saved", changes={"code": saved.code, "version": saved.version}
    )
    return saved


def load_rule_set(data: dict[str, Any], *, actor: Any = None) -> list[RoutingRule]:
    """Save every rule of a rule set file (seed/routing_rules.json) through the schema and
    the versioning the admin pages use, so a file cannot hold a rule the pages would refuse."""
    rule_set = RoutingRuleSetArgs().load(data)
    return [save_rule(actor=actor, rule=rule) for rule in rule_set["rules"]]


def rules_in_force() -> list[RuleView]:
    """The current, active rules as the engine sees them: the engine stays pure (no rows, no
    session), so it can also judge a draft rule for a preview."""
    rows = db.session.scalars(
        sa.select(RoutingRule)
        .where(RoutingRule.is_current.is_(True), RoutingRule.is_active.is_(True))
        .order_by(RoutingRule.priority, RoutingRule.code)
    )
    return [as_view(row) for row in rows]


def as_view(row: RoutingRule) -> RuleView:
    """A saved rule as the engine's plain view of it (copies, so the engine cannot change
    a row)."""
    return RuleView(
        id=row.id,
        code=row.code,
        version=row.version,
        name=row.name,
        priority=row.priority,
        conditions=row.conditions,
        targets=list(row.targets),
        actions=dict(row.actions or {}),
    )


def draft_view(rule: dict[str, Any]) -> RuleView:
    """A rule being edited, as the engine's view of it: an admin previews it before saving,
    through the same schema that will save it."""
    loaded = RoutingRuleArgs().load(rule)
    return RuleView(
        None,
        loaded["code"],
        0,
        loaded["name"],
        loaded["priority"],
        loaded["conditions"],
        loaded["targets"],
        loaded["actions"],
    )


def preview_rule(rule: dict[str, Any], *, recent: int = 500) -> dict[str, Any]:
    """How a draft rule would have treated the last `recent` referrals (their stored facts),
    so an admin sees what a change catches before real referrals go somewhere new."""
    check_references(rule)
    view = draft_view(rule)
    rows = db.session.scalars(
        sa.select(RoutingDecision.facts)
        .where(RoutingDecision.kind != "redirect")
        .order_by(RoutingDecision.id.desc())
        .limit(recent)
    ).all()
    matched = []
    for facts in rows:
        firing = evaluate(
            view,
            Facts(
                needs=frozenset(facts["needs"]),
                urgency=facts["urgency"],
                source=facts["source"],
                age=facts["age"],
                area=facts.get("area"),
                open_services=frozenset(facts.get("open_services", [])),
            ),
        )
        if firing is not None:
            matched.append({"facts": facts, "matched": firing.matched})
    return {
        "checked": len(rows),
        "matched": len(matched),
        "examples": matched[:5],
        "targets": view.targets,
    }
