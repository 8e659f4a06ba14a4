"""How referrals answer what happens below them."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.core.extensions import db
from caremap.episodes import signals as episode_signals
from caremap.episodes.models import Episode
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from caremap.referrals.operations import change_status


def ended_episode_closes_its_referral(episode: Episode, *, actor: User, **_: Any) -> None:
    """The referral an episode came from is done when the episode is: it closes with the
    episode's end reason as its outcome."""
    if episode.referral_id is None:
        return
    referral = db.session.get(Referral, episode.referral_id)
    if referral.status == ReferralStatus.ACTIVE:
        change_status(
            actor=actor, referral=referral, to=ReferralStatus.CLOSED, outcome=episode.end_reason
        )


def connect() -> None:
    episode_signals.episode_ended.connect(ended_episode_closes_its_referral, weak=False)
