"""The read side of the admins' reviews: break-glass, and merges.

A merge is kept only in the audit trail (people's `people.merged_into` row, written in
the merge's transaction), and its review is an audit row too (`access.merge_review`,
naming the merge's row): access sits below people, and the trail is the one record of
a merge nobody can edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.audit.models import AuditEvent
from caremap.core.extensions import db

MERGED = "people.merged_into"  # written by people.operations.merge_people, on the duplicate
MERGE_REVIEWED = "access.merge_review"
REVIEWED_SHOWN = 50


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
        .limit(REVIEWED_SHOWN)
    ).all()
    return [*unreviewed, *reviewed]


@dataclass(frozen=True)
class MergeForReview:
    """One merge (its audit row) and its review, if it has had one."""

    event: AuditEvent
    review: AuditEvent | None = None

    @property
    def id(self) -> int:
        return self.event.id

    @property
    def merged_at(self) -> dt.datetime:
        return self.event.at

    @property
    def merged_by(self) -> Any:
        return self.event.actor

    @property
    def reason(self) -> str | None:
        return self.event.reason

    @property
    def survivor_id(self) -> int:
        return self.event.changes["survivor_id"]

    @property
    def duplicate_id(self) -> int:
        return self.event.changes["duplicate_id"]

    @property
    def reviewed_at(self) -> dt.datetime | None:
        return self.review.at if self.review else None

    @property
    def reviewed_by(self) -> Any:
        return self.review.actor if self.review else None

    @property
    def review_note(self) -> str | None:
        return self.review.reason if self.review else None


def _reviews(merge_ids: list[int] | None = None) -> dict[int, AuditEvent]:
    """Each merge's review, by the merge's row id (the first, should two ever exist)."""
    found: dict[int, AuditEvent] = {}
    stmt = sa.select(AuditEvent).where(AuditEvent.action == MERGE_REVIEWED)
    for review in db.session.scalars(stmt.order_by(AuditEvent.id)):
        merge_id = (review.changes or {}).get("merge_event_id")
        if merge_ids is None or merge_id in merge_ids:
            found.setdefault(merge_id, review)
    return found


def merges_for_review() -> list[MergeForReview]:
    """Every merge, unreviewed first (oldest first), then the last reviewed, newest first:
    the same order as break-glass, in two queries however many there are."""
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == MERGED).order_by(AuditEvent.id)
    ).all()
    reviews = _reviews()
    merges = [MergeForReview(event, reviews.get(event.id)) for event in events]
    unreviewed = [m for m in merges if m.review is None]
    reviewed = sorted(
        (m for m in merges if m.review is not None), key=lambda m: m.review.id, reverse=True
    )
    return [*unreviewed, *reviewed[:REVIEWED_SHOWN]]


def merge_for_review(merge_id: int) -> MergeForReview | None:
    """One merge by its audit row's id, or None if that row is not a merge."""
    event = db.session.get(AuditEvent, merge_id)
    if event is None or event.action != MERGED:
        return None
    return MergeForReview(event, _reviews([merge_id]).get(merge_id))


# Access sits below people, so the review reads the few columns that say whose record it
# was through a table clause, not the people package's model.
_PEOPLE = sa.table(
    "people",
    sa.column("id"),
    sa.column("given_name"),
    sa.column("family_name"),
    sa.column("date_of_birth", sa.Date),
    sa.column("local_ref"),
)


@dataclass(frozen=True)
class PersonNamed:
    id: int
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    local_ref: str


def people_named(person_ids: list[int]) -> dict[int, PersonNamed]:
    """Whose records a review list names, in one query."""
    if not person_ids:
        return {}
    rows = db.session.execute(sa.select(_PEOPLE).where(_PEOPLE.c.id.in_(person_ids))).mappings()
    return {row["id"]: PersonNamed(**row) for row in rows}
