"""The read side of long-term support: a person's profile and events, and the chronology."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.people.chronology import ChronologyEntry

STRAND = "long_term_support"


def profile_of(person_id: int) -> SocialCareProfile | None:
    return db.session.scalar(
        sa.select(SocialCareProfile).where(SocialCareProfile.person_id == person_id)
    )


def assessments_of(person_ids: list[int]) -> list[CareAssessment]:
    return list(
        db.session.scalars(
            sa.select(CareAssessment)
            .where(CareAssessment.person_id.in_(person_ids))
            .order_by(CareAssessment.started_on.desc(), CareAssessment.id.desc())
        )
    )


def packages_of(person_ids: list[int]) -> list[CarePackage]:
    return list(
        db.session.scalars(
            sa.select(CarePackage)
            .where(CarePackage.person_id.in_(person_ids))
            .order_by(CarePackage.started_on.desc(), CarePackage.id.desc())
        )
    )


def reviews_of(person_ids: list[int]) -> list[CareReview]:
    return list(
        db.session.scalars(
            sa.select(CareReview)
            .where(CareReview.person_id.in_(person_ids))
            .order_by(CareReview.started_on.desc(), CareReview.id.desc())
        )
    )


def package_of_episode(episode_id: int) -> CarePackage | None:
    return db.session.scalar(sa.select(CarePackage).where(CarePackage.episode_id == episode_id))


def _at(day: dt.date) -> dt.datetime:
    # Events are dated, not timed: at noon UTC of their day, never after now.
    return min(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), utcnow())


def chronology_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    """Each event's start and end, three queries however long the history (columns, not
    objects, with the recorder's name joined)."""
    entries: list[ChronologyEntry] = []
    for model, title_of in (
        (CareAssessment, lambda r: r.kind.label),
        (CarePackage, lambda r: f"{r.service_type} ({r.service_component})"),
        (CareReview, lambda r: f"Review: {r.review_reason}"),
    ):
        columns = [model.started_on, model.ended_on, model.outcome, User.full_name]
        extra = {
            CareAssessment: [CareAssessment.kind],
            CarePackage: [CarePackage.service_type, CarePackage.service_component],
            CareReview: [CareReview.review_reason],
        }[model]
        rows = db.session.execute(
            sa.select(*columns, *extra)
            .join(User, User.id == model.recorded_by_id)
            .where(model.person_id.in_(person_ids))
        )
        for row in rows:
            title = title_of(row)
            entries.append(
                ChronologyEntry(
                    _at(row.started_on), "longterm", f"{title} started", None, row.full_name, STRAND
                )
            )
            if row.ended_on is not None:
                entries.append(
                    ChronologyEntry(
                        _at(row.ended_on),
                        "longterm",
                        f"{title} ended",
                        row.outcome,
                        row.full_name,
                        STRAND,
                    )
                )
    return entries


def record_summary(person_id: int, person_ids: list[int]) -> dict[str, object]:
    """What the person record's long-term support section shows: the profile and counts."""

    def count(model: type, *where: object) -> int:
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .where(model.person_id.in_(person_ids), *where)
        )

    return {
        "profile": profile_of(person_id),
        "open_packages": count(CarePackage, CarePackage.ended_on.is_(None)),
        "assessments": count(CareAssessment),
        "reviews": count(CareReview),
    }
