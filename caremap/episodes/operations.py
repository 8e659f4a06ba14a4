"""Starting and ending episodes of care; recording where someone is at day 91."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.episodes.enums import Day91Outcome, EpisodeKind
from caremap.episodes.models import Episode
from caremap.people.models import Person


def start_episode(
    *,
    actor: User,
    person: Person,
    service: Service,
    details: dict[str, Any],
    referral_id: int | None = None,
    follow_up_days: int | None = None,
) -> Episode:
    """A spell of a service for a person. A reablement episode after a discharge gets its
    follow-up date (day 91 for ASCOF 2B) from the routing rule that sent it."""
    episode = Episode(
        person_id=person.id,
        service_id=service.id,
        referral_id=referral_id,
        created_by_id=actor.id,
        **details,
    )
    if episode.kind == EpisodeKind.REABLEMENT and episode.discharged_on:
        episode.follow_up_due_on = episode.discharged_on + dt.timedelta(days=follow_up_days or 91)
    db.session.add(episode)
    db.session.flush()
    if episode.follow_up_due_on is not None:
        from caremap.worktasks.enums import TaskKind
        from caremap.worktasks.operations import create_task, team_for_service

        create_task(
            actor=actor,
            person_id=person.id,
            kind=TaskKind.DAY91_FOLLOW_UP,
            title="Where is the person 91 days after discharge?",
            due_on=episode.follow_up_due_on,
            owner_team=team_for_service(service, prefer=actor),
            episode_id=episode.id,
        )
    audit.record(
        actor,
        "episodes.start",
        person=person,
        changes={"episode_id": episode.id, "service": service.code, "kind": episode.kind},
    )
    return episode


def end_episode(
    *,
    actor: User,
    episode: Episode,
    ended_on: dt.date,
    end_reason: str,
    version: int,
    homelessness_outcome: Any = None,
) -> Episode:
    """End the episode; the referral it came from closes with the same outcome."""
    from caremap.referrals.enums import ReferralStatus
    from caremap.referrals.models import Referral
    from caremap.referrals.operations import change_status

    if version != episode.version:
        raise StaleVersionError(current_version=episode.version)
    if not episode.is_open:
        raise DomainError("This episode has already ended", field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError("must be on or after the day the episode started", field="ended_on")
    if homelessness_outcome is not None and episode.kind != EpisodeKind.HOMELESSNESS_PREVENTION:
        raise DomainError("applies to homelessness prevention only", field="homelessness_outcome")
    episode.ended_on = ended_on
    episode.end_reason = end_reason
    episode.homelessness_outcome = homelessness_outcome
    db.session.flush()
    audit.record(
        actor,
        "episodes.end",
        person_id=episode.person_id,
        changes={"episode_id": episode.id, "ended_on": ended_on, "reason": end_reason},
    )
    if episode.referral_id is not None:
        referral = db.session.get(Referral, episode.referral_id)
        if referral.status == ReferralStatus.ACTIVE:
            change_status(
                actor=actor, referral=referral, to=ReferralStatus.CLOSED, outcome=end_reason
            )
    return episode


def record_day91_outcome(
    *, actor: User, episode: Episode, outcome: Day91Outcome, version: int
) -> Episode:
    if version != episode.version:
        raise StaleVersionError(current_version=episode.version)
    if episode.kind != EpisodeKind.REABLEMENT or episode.discharged_on is None:
        raise DomainError(
            "only a reablement episode after a discharge has a day-91 outcome", field="outcome"
        )
    episode.day91_outcome = outcome
    _close_follow_up_tasks(actor, episode, outcome)
    db.session.flush()
    audit.record(
        actor,
        "episodes.day91_outcome",
        person_id=episode.person_id,
        changes={"episode_id": episode.id, "outcome": outcome},
    )
    return episode


def _close_follow_up_tasks(actor: User, episode: Episode, outcome: Day91Outcome) -> None:
    """Recorded on the episode, the day-91 follow-up task is done too."""
    import sqlalchemy as sa

    from caremap.core.db import utcnow
    from caremap.worktasks.enums import TaskKind, TaskStatus
    from caremap.worktasks.models import Task

    tasks = db.session.scalars(
        sa.select(Task).where(
            Task.episode_id == episode.id,
            Task.kind == TaskKind.DAY91_FOLLOW_UP,
            Task.status == TaskStatus.OPEN,
        )
    )
    for task in tasks:
        task.status = TaskStatus.DONE
        task.completed_at = utcnow()
        task.completed_by_id = actor.id
        task.outcome = {"day91_outcome": outcome.value}
