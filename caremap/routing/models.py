"""Routing rules: data, versioned. Editing a rule adds a version; decisions cite the version."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caremap.core.db import Base, CreatedAtMixin, utcnow


class RoutingRule(CreatedAtMixin, Base):
    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.String(2000), default="")
    priority: Mapped[int]
    conditions: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    targets: Mapped[list[str]] = mapped_column(sa.JSON)
    actions: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    is_active: Mapped[bool] = mapped_column(default=True)
    # The newest version of each code; older versions stay for the decisions that cite them.
    is_current: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    __table_args__ = (
        sa.UniqueConstraint("code", "version", name="uq_routing_rules_code_version"),
        sa.Index(
            "uq_routing_rules_current_code",
            "code",
            unique=True,
            sqlite_where=sa.text("is_current"),
            postgresql_where=sa.text("is_current"),
        ),
    )


class RoutingDecision(Base):
    """Why a referral went where it went.

    The rules (and their versions) that fired, and the facts they matched.
    """

    __tablename__ = "routing_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referrals.id"), index=True)
    decided_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(sa.String(20))  # "rules", "fall_through", "redirect"
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
