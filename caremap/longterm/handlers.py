"""How long-term support answers the episodes below it: an episode that is a CLD service
makes its care package when it starts and ends it when it ends, in the same transaction."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.episodes import signals as episode_signals
from caremap.episodes.models import Episode
from caremap.longterm import operations, queries
from caremap.longterm.mapping import DIED, ENDED_AS_PLANNED, service_of_episode
from caremap.people.models import Person


def episode_is_a_service(episode: Episode, *, actor: User, **_: Any) -> None:
    service = service_of_episode(episode)
    if service is None:
        return
    person = db.session.get(Person, episode.person_id)
    operations.record_package(
        actor=actor,
        person=person,
        details={**service, "started_on": episode.started_on},
        episode_id=episode.id,
    )


def ended_episode_ends_its_service(episode: Episode, *, actor: User, **_: Any) -> None:
    package = queries.package_of_episode(episode.id)
    if package is None or package.ended_on is not None:
        return
    person = db.session.get(Person, episode.person_id)
    died = person.date_of_death is not None and person.date_of_death <= episode.ended_on
    operations.end_package(
        actor=actor,
        package=package,
        ended_on=episode.ended_on,
        outcome=DIED if died else ENDED_AS_PLANNED,
        version=package.version,
    )


def connect() -> None:
    episode_signals.episode_started.connect(episode_is_a_service, weak=False)
    episode_signals.episode_ended.connect(ended_episode_ends_its_service, weak=False)
