"""Who may act on an episode: someone who may see the person, from the episode's service."""

from __future__ import annotations

from caremap.auth.models import User
from caremap.core.errors import ForbiddenError, NotFoundError
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.people.loader import LoadedPerson, load_person


def episode_for_action(episode_id: int, *, user: User, action: str) -> tuple[Episode, LoadedPerson]:
    """The episode and its person, loaded (and the read audited) as `action`; 404 for someone
    who may not see the person, 403 for a worker of another service."""
    episode = db.session.get(Episode, episode_id)
    if episode is None:
        raise NotFoundError()
    loaded = load_person(episode.person_id, user=user, action=action)
    if not (user.is_admin or user.team.service_id == episode.service_id):
        raise ForbiddenError(
            f"Only {episode.service.name} can change this episode", field="service"
        )
    return episode, loaded
