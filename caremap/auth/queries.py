"""Finding staff by what someone types: the care team's and the handover's pickers."""

from __future__ import annotations

import re
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.catalogue.models import Service, Team
from caremap.core.extensions import db

# Those a worker may pick for a person's care: everyone but admins, who run the system.
CARING_ROLES = tuple(role for role in Role if role != Role.ADMIN)


def words_of(typed: str) -> list[str]:
    """What was typed, as lower-case words: "Kim Lee, Hub" → ["kim", "lee", "hub"] (a
    chosen name with its team, as a picker shows it, finds that worker again)."""
    return [word for word in re.split(r"[\s,()]+", typed.lower()) if word][:10]


def find_staff(
    typed: str,
    *,
    roles: Collection[Role] = CARING_ROLES,
    excluding: int | None = None,
    page: int = 1,
    per_page: int = 10,
) -> tuple[list[User], int]:
    """Active staff in `roles` whose name, email, team or service holds every word typed,
    by name, a page at a time, with how many match in all (two queries)."""
    where = [User.is_active.is_(True), User.role.in_(list(roles))]
    if excluding is not None:
        where.append(User.id != excluding)
    for word in words_of(typed):
        where.append(
            sa.or_(
                *(
                    sa.func.lower(column).contains(word, autoescape=True)
                    for column in (User.full_name, User.email, Team.name, Service.name)
                )
            )
        )

    def joined(stmt: sa.Select) -> sa.Select:
        return stmt.join(User.team).join(Team.service).where(*where)

    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(joined(sa.select(User.id)).subquery())
    )
    matching = joined(sa.select(User)).options(
        contains_eager(User.team).contains_eager(Team.service)
    )
    shown = db.session.scalars(
        matching.order_by(User.full_name, User.id).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return list(shown), total or 0
