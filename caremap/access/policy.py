"""Who may see how much of a person's record. The one place the rule lives.

A legitimate relationship (DESIGN.md "Who may see what") is one of RELATIONSHIPS,
in the order a decision names them:
- care_team: the viewer is in the person's care team (the lead key worker included);
- open_work: the viewer's service has an open referral (routed, accepted, active) or an
  open episode of care for the person;
- assigned_task: the viewer, or their team, owns an open task for the person (a
  medication review sent to the pharmacists, say);
- registered: the viewer's team registered the person;
- break_glass: the viewer broke glass on the record: full access for a few hours, with
  a reason, reviewed by an admin afterwards.
Admins see records for administration. Everyone else (managers included) finds the
person's identity only.

Access sits below the domains that hold these rows (care teams, referrals, episodes,
tasks), so it cannot import them: each domain registers, in its `register(app)`, the
SELECT of the people a user is related to through its rows. Both the one-person
decision and the set-based `related_person_ids` are built from those same SELECTs, so
the two cannot drift; `check_relationships` refuses to start an app where a
relationship has no provider.

The one-person decision is one statement, built once per user (a provider's SELECT may
depend on the user's id, role, team and the team's service, nothing else: `_user_key`)
and kept; the person's id is its bound parameter `person_id`, and the time is the bound
parameter `access_now` (break-glass's expiry), so a kept statement is never stale.
Building the union of every provider's SELECT was a fifth of a record read's CPU.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import flask
import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.auth.models import User
from caremap.auth.permissions import can_administer
from caremap.core.db import UTCDateTime, utcnow
from caremap.core.extensions import db

RELATIONSHIPS: tuple[str, ...] = (
    "care_team",
    "open_work",
    "assigned_task",
    "registered",
    "break_glass",
)

# user → SELECT of one column, the ids of the people related to the user this way
RelatedPeople = Callable[[User], sa.Select]
_EXTENSION = "caremap.relationships"
_KEPT = "caremap.access_statements"
_KEPT_LIMIT = 4096  # users; past it the kept statements are dropped and built again


class Access(enum.StrEnum):
    FULL = "full"
    IDENTITY = "identity"


@dataclass(frozen=True)
class AccessDecision:
    access: Access
    because: str  # "admin", one of RELATIONSHIPS, or "none"
    break_glass: BreakGlass | None = None  # the access relied on, while it lasts


def register_relationship(app: flask.Flask, because: str, related_people: RelatedPeople) -> None:
    """Called by the domain that holds the rows behind a relationship."""
    if because not in RELATIONSHIPS:
        raise ValueError(f"{because!r} is not one of access.policy.RELATIONSHIPS")
    providers = app.extensions.setdefault(_EXTENSION, {})
    providers.setdefault(because, [])
    if related_people not in providers[because]:
        providers[because].append(related_people)


def check_relationships(app: flask.Flask) -> None:
    """Every relationship must have a provider, or someone's legitimate access is lost."""
    providers = app.extensions.get(_EXTENSION, {})
    missing = [because for because in RELATIONSHIPS if not providers.get(because)]
    if missing:
        raise RuntimeError(f"no domain provides the relationship(s): {', '.join(missing)}")


def _related_selects(user: User) -> list[tuple[str, sa.Select]]:
    providers = flask.current_app.extensions[_EXTENSION]
    return [
        (because, related_people(user))
        for because in RELATIONSHIPS
        for related_people in providers[because]
    ]


def _user_key(user: User) -> tuple:
    """What a provider's SELECT may depend on: the statements are kept by it."""
    team = user.team
    return (user.id, user.role, user.team_id, team.service_id if team is not None else None)


def access_rank(user: User) -> sa.ScalarSelect | None:
    """The rank in RELATIONSHIPS of the first relationship `user` has with the person
    whose id is the bound parameter `person_id` (NULL: none), as a scalar subquery that
    another statement can select beside the person's own columns; None for an admin,
    who needs no relationship. Pass `access_now=utcnow()` with `person_id` when running
    it (`access_parameters`). Built once per user and kept."""
    if can_administer(user):
        return None
    kept = flask.current_app.extensions.setdefault(_KEPT, {})
    key = _user_key(user)
    rank = kept.get(key)
    if rank is None:
        person_id = sa.bindparam("person_id", type_=sa.Integer())
        branches = [
            sa.select(sa.literal(index).label("rank")).where(
                sa.exists(stmt.where(stmt.selected_columns[0] == person_id))
            )
            for index, (_, stmt) in enumerate(_related_selects(user))
        ]
        union = sa.union_all(*branches).subquery()
        rank = sa.select(sa.func.min(union.c.rank)).scalar_subquery()
        if len(kept) >= _KEPT_LIMIT:
            kept.clear()
        kept[key] = rank
    return rank


def access_parameters(person_id: int) -> dict[str, Any]:
    """The bound parameters of `access_rank`'s subquery for one person, now."""
    return {"person_id": person_id, "access_now": utcnow()}


def decision_for(user: User, person_id: int, rank: int | None) -> AccessDecision:
    """The decision `access_rank` selected (an admin's rank is ignored): break-glass
    names the access relied on (one more statement, only then)."""
    if can_administer(user):
        return AccessDecision(Access.FULL, "admin")
    if rank is None:
        return AccessDecision(Access.IDENTITY, "none")
    because = _ranked_relationships()[rank]
    if because == "break_glass":
        return AccessDecision(
            Access.FULL, because, active_break_glass(user_id=user.id, person_id=person_id)
        )
    return AccessDecision(Access.FULL, because)


def _ranked_relationships() -> list[str]:
    """Each provider's relationship, in the order of `access_rank`'s ranks."""
    providers = flask.current_app.extensions[_EXTENSION]
    return [because for because in RELATIONSHIPS for _ in providers[because]]


def decide(user: User, person: Any) -> AccessDecision:
    """How much of `person`'s record `user` may see, and why: one query, the first
    relationship in RELATIONSHIPS order that holds."""
    rank_query = access_rank(user)
    if rank_query is None:
        return decision_for(user, person.id, None)
    rank = db.session.scalar(sa.select(rank_query), access_parameters(person.id))
    return decision_for(user, person.id, rank)


def related_person_ids(user: User, person_ids: Sequence[int] | sa.Select) -> set[int]:
    """Of these people, those `user` has a legitimate relationship with: `decide` for a set.

    One query for all the people at once (a list of ids, or a SELECT of ids such as an
    indicator's cohort), so a drill-down into thousands of people costs one query, not
    one per person. tests/access/test_related_person_ids.py holds it to `decide`.
    """
    if isinstance(person_ids, sa.Select):
        if can_administer(user):
            return set(db.session.scalars(person_ids))
        chunks: list = [person_ids]
    else:
        wanted = list(dict.fromkeys(person_ids))
        if can_administer(user) or not wanted:
            return set(wanted)
        chunks = _chunks(wanted, 5000)
    related = sa.union(*(stmt for _, stmt in _related_selects(user))).subquery()
    found: set[int] = set()
    for chunk in chunks:
        column = related.c[0]
        found.update(db.session.scalars(sa.select(column).where(column.in_(chunk))))
    return found


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    """Bound lists (SQLite allows 32,766 bound parameters in one statement)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def access_to(user: User, person: Any) -> Access:
    return decide(user, person).access


def people_with_break_glass(user: User) -> sa.Select:
    """The break-glass relationship: records the user broke glass on, until it expires."""
    now = sa.bindparam("access_now", utcnow(), type_=UTCDateTime())
    return sa.select(BreakGlass.person_id).where(
        BreakGlass.user_id == user.id, BreakGlass.expires_at > now
    )


def active_break_glass(*, user_id: int, person_id: int) -> BreakGlass | None:
    return db.session.scalar(
        sa.select(BreakGlass)
        .where(
            BreakGlass.user_id == user_id,
            BreakGlass.person_id == person_id,
            BreakGlass.expires_at > utcnow(),
        )
        .order_by(BreakGlass.expires_at.desc())
        .limit(1)
    )
