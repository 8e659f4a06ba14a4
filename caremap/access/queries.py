"""The read side of break-glass: the admins' review list."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.core.extensions import db


def break_glass_for_review() -> list[BreakGlass]:
    """Unreviewed first (oldest first), then the reviewed, newest first."""
    unreviewed = db.session.scalars(
        sa.select(BreakGlass)
        .where(BreakGlass.reviewed_at.is_(None))
        .order_by(BreakGlass.started_at)
    ).all()
    reviewed = db.session.scalars(
        sa.select(BreakGlass)
        .where(BreakGlass.reviewed_at.is_not(None))
        .order_by(BreakGlass.reviewed_at.desc())
        .limit(50)
    ).all()
    return [*unreviewed, *reviewed]
