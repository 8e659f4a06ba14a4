"""How transition planning answers what happens below it."""

from __future__ import annotations

from typing import Any

from caremap.auth.models import User
from caremap.people.models import Person
from caremap.referrals import signals as referral_signals
from caremap.referrals.models import ReferralSubmission
from caremap.transitions.operations import ensure_transition_tasks


def referral_makes_a_young_person_known(
    submission: ReferralSubmission, *, actor: User, person: Person, **_: Any
) -> None:
    """A referred young person is known to services: past the transition age they get
    their planning flag and task at once, not at the next nightly run."""
    ensure_transition_tasks(actor=actor, person_ids=[person.id])


def connect() -> None:
    referral_signals.referral_submitted.connect(referral_makes_a_young_person_known, weak=False)
