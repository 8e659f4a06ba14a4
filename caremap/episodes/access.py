"""Loading an episode: through the person loader, so the access rule and read audit apply.

Anyone with full access to the person may read an episode; only its service (and
admins) may change it.
"""

from __future__ import annotations

from caremap.auth.models import User
from caremap.auth.permissions import can_administer
from caremap.core.errors import ForbiddenError
from caremap.core.rows import get_or_404
from caremap.episodes.models import Episode
from caremap.people.loader import LoadedPerson, load_person


def acts_for_service(user: User, service_id: int) -> bool:
    """An admin, or a worker of the service: who may answer for a service's referrals and
    episodes (whether they may see the person is the loader's question)."""
    return can_administer(user) or user.team.service_id == service_id


def load_episode(episode_id: int, *, user: User, action: str) -> tuple[Episode, LoadedPerson]:
    """The episode and its person, loaded (and the read audited) as `action`; 404 for
    someone who may not see the person."""
    episode = get_or_404(Episode, episode_id)
    return episode, load_person(episode.person_id, user=user, action=action)


def episode_for_action(episode_id: int, *, user: User, action: str) -> tuple[Episode, LoadedPerson]:
    """As `load_episode`, and 403 for a worker of another service."""
    episode, loaded = load_episode(episode_id, user=user, action=action)
    if not acts_for_service(user, episode.service_id):
        raise ForbiddenError(
            f"Only {episode.service.name} can change this episode", field="service"
        )
    return episode, loaded
