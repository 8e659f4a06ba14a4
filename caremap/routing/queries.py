"""The read side of routing rules: the current version of each, and a rule's history."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.routing.models import RoutingRule


def current_rules() -> list[RoutingRule]:
    """The current version of every rule (in force or not), by priority."""
    return list(
        db.session.scalars(
            sa.select(RoutingRule)
            .where(RoutingRule.is_current.is_(True))
            .order_by(RoutingRule.priority, RoutingRule.code)
        )
    )


def current_rule(code: str) -> RoutingRule | None:
    return db.session.scalar(
        sa.select(RoutingRule).where(RoutingRule.code == code, RoutingRule.is_current.is_(True))
    )


def rule_versions(code: str) -> list[RoutingRule]:
    """Every version of a rule, newest first: the decisions that cite the old ones stay
    explainable."""
    return list(
        db.session.scalars(
            sa.select(RoutingRule)
            .where(RoutingRule.code == code)
            .order_by(RoutingRule.version.desc())
        )
    )
