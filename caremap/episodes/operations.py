"""Starting and ending episodes of care; recording where someone is at day 91."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caremap import audit
from caremap.auth.models import User
from caremap.catalogue.models import Service
from caremap.core import clock
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.episodes import signals
from caremap.episodes.enums import Day91Outcome, EpisodeKind
from caremap.episodes.models import Episode
from caremap.people.dates import check_within_life
from caremap.people.models import Person
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.operations import close_tasks, create_task, team_for_service
from caremap.worktasks.queries import open_tasks


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
    for field in ("started_on", "discharged_on", "discharge_ready_on"):
        if details.get(field) is not None:
            check_within_life(person, details[field], field=field)
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
    signals.episode_started.send(episode, actor=actor)
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
    """End the episode. The referral it came from hears of it (signals.episode_ended) and
    closes with the same outcome, so a finished spell of care never leaves its referral
    open (and the service's access to the record with it)."""
    check_version(episode, version)
    if not episode.is_open:
        raise DomainError("This episode has already ended", field="ended_on")
    if ended_on < episode.started_on:
        raise DomainError("must be on or after the day the episode started", field="ended_on")
    check_within_life(db.session.get(Person, episode.person_id), ended_on, field="ended_on")
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
    signals.episode_ended.send(episode, actor=actor)
    return episode


# Outcomes that answer the day-91 question before day 91, each dated the day it happened.
ENDS_EARLY = {
    Day91Outcome.DIED: "the person died",
    Day91Outcome.IN_HOSPITAL: "the person went into hospital",
    Day91Outcome.IN_CARE_HOME: "the person moved permanently into a care home",
}


def record_day91_outcome(
    *,
    actor: User,
    episode: Episode,
    outcome: Day91Outcome,
    version: int,
    outcome_on: dt.date | None = None,
) -> Episode:
    """Where the person was 91 days after discharge (ASCOF 2B). "At home" is only known
    once day 91 has come, so it is refused before the follow-up date (recorded on day 1
    it would count as a success at once); a death, a hospital stay or a permanent care
    home move answer the question early, dated the day they happened. The follow-up
    task the episode set is done once the answer is on the episode, however entered."""
    check_version(episode, version)
    if episode.kind != EpisodeKind.REABLEMENT or episode.discharged_on is None:
        raise DomainError(
            "only a reablement episode after a discharge has a day-91 outcome", field="outcome"
        )
    outcome_on = _day91_outcome_date(episode, outcome, outcome_on)
    episode.day91_outcome = outcome
    episode.day91_outcome_on = outcome_on
    db.session.flush()
    audit.record(
        actor,
        "episodes.day91_outcome",
        person_id=episode.person_id,
        changes={"episode_id": episode.id, "outcome": outcome, "outcome_on": outcome_on},
    )
    close_tasks(
        actor=actor,
        tasks=open_tasks(kind=TaskKind.DAY91_FOLLOW_UP, episode_id=episode.id),
        because="day-91 outcome recorded on the episode",
        outcome={"day91_outcome": outcome.value, "day91_outcome_on": outcome_on.isoformat()},
    )
    return episode


def _day91_outcome_date(
    episode: Episode, outcome: Day91Outcome, outcome_on: dt.date | None
) -> dt.date:
    """The date the outcome is recorded with, or the refusal naming the field and why."""
    today = clock.today()
    discharged = episode.discharged_on
    if outcome == Day91Outcome.AT_HOME:
        due = episode.follow_up_due_on or discharged + dt.timedelta(days=91)
        if today < due:
            raise DomainError(
                f"“At home” can be recorded from {due:%-d %B %Y}, the day-91 follow-up date; "
                "before then record only a death, a hospital stay or a permanent move to a "
                "care home",
                field="outcome",
            )
        if outcome_on not in (None, today):
            raise DomainError(
                "must be left blank for “at home”: it is dated the day it is recorded",
                field="outcome_on",
            )
        return today
    if outcome_on is None:
        raise DomainError(f"Enter the date {ENDS_EARLY[outcome]}", field="outcome_on")
    if not discharged <= outcome_on <= today:
        raise DomainError(
            f"must be between the discharge on {discharged:%-d %B %Y} and today",
            field="outcome_on",
        )
    return outcome_on
