"""No sequence of allowed actions takes a referral to an invalid state: Hypothesis plays
random sequences of the receiving service's actions (accept, decline, redirect, close,
start the episode, end it) through the real operations, legal or not, and after each
checks what must always hold of a referral, its history, its task and its episode."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.episodes import operations as episodes
from caremap.episodes.models import Episode
from caremap.referrals import operations as referrals
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.flows import TRANSITIONS
from caremap.referrals.models import ReferralStatusChange
from caremap.worktasks.enums import TaskKind
from tests.factories import make_referral, open_tasks, worker_for
from tests.properties.machines import SavepointMachine, walk

TODAY = dt.date.today()


class ReferralMachine(SavepointMachine):
    def __init__(self) -> None:
        super().__init__()
        self.referral = make_referral()
        self.worker = worker_for(self.referral.service)
        self.refusals = 0

    def _try(self, action) -> None:
        """An illegal action is refused with a DomainError and changes nothing."""
        before = (self.referral.status, self.referral.version)
        step = db.session.begin_nested()
        try:
            action()
        except DomainError:
            step.rollback()
            db.session.refresh(self.referral)
            assert (self.referral.status, self.referral.version) == before
            self.refusals += 1
        else:
            step.commit()

    @rule()
    def accept(self):
        self._try(
            lambda: referrals.accept_referral(
                actor=self.worker, referral=self.referral, version=self.referral.version
            )
        )

    @rule(reason=st.sampled_from(["No capacity", "Not eligible"]))
    def decline(self, reason):
        self._try(
            lambda: referrals.decline_referral(
                actor=self.worker,
                referral=self.referral,
                version=self.referral.version,
                reason=reason,
            )
        )

    @rule()
    def redirect(self):
        self._try(
            lambda: referrals.redirect_referral(
                actor=self.worker,
                referral=self.referral,
                version=self.referral.version,
                reason="Better placed elsewhere",
                service_code="home_care_short_term",
            )
        )

    @rule()
    def close(self):
        self._try(
            lambda: referrals.close_referral(
                actor=self.worker,
                referral=self.referral,
                version=self.referral.version,
                outcome="Seen; nothing more needed",
            )
        )

    @rule()
    def start_episode(self):
        self._try(
            lambda: referrals.begin_episode(
                actor=self.worker,
                referral=self.referral,
                details={"started_on": TODAY, "discharged_on": TODAY},
            )
        )

    @rule()
    def end_episode(self):
        episode = self._episode()
        if episode is None:
            return
        self._try(
            lambda: episodes.end_episode(
                actor=self.worker,
                episode=episode,
                ended_on=TODAY,
                end_reason="Independent again",
                version=episode.version,
            )
        )

    def _episode(self) -> Episode | None:
        return db.session.query(Episode).filter_by(referral_id=self.referral.id).one_or_none()

    @invariant()
    def the_history_is_a_chain_of_allowed_steps(self):
        changes = (
            db.session.query(ReferralStatusChange)
            .filter_by(referral_id=self.referral.id)
            .order_by(ReferralStatusChange.id)
            .all()
        )
        assert changes[0].from_status is None
        for change in changes[1:]:
            assert (change.from_status, change.to_status) in TRANSITIONS
        assert changes[-1].to_status == self.referral.status

    @invariant()
    def a_response_task_is_open_exactly_while_the_referral_waits(self):
        waiting = open_tasks(referral_id=self.referral.id, kind=TaskKind.REFERRAL_RESPONSE)
        assert bool(waiting) == (self.referral.status == ReferralStatus.ROUTED)

    @invariant()
    def an_episode_is_open_exactly_while_the_referral_is_active(self):
        episode = self._episode()
        is_open = episode is not None and episode.ended_on is None
        assert is_open == (self.referral.status == ReferralStatus.ACTIVE)

    @invariant()
    def an_answer_is_recorded_once_answered(self):
        answered = self.referral.status not in (ReferralStatus.RECEIVED, ReferralStatus.ROUTED)
        assert (self.referral.responded_at is not None) == answered


def test_no_sequence_of_actions_reaches_an_invalid_referral(app, ctx):
    walk(ReferralMachine, examples=40, steps=8)
