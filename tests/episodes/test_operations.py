"""Episode operations called directly (no HTTP): beginning an episode from a referral sets
what its kind needs (reablement: the day-91 follow-up and its task), ending it closes the
referral, the day-91 outcome is recorded and closes the follow-up. Behaviour only."""

import datetime as dt

import marshmallow as ma
import pytest
import sqlalchemy as sa

from caremap.catalogue.models import Service
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.episodes import operations as episodes
from caremap.episodes.enums import Day91Outcome, EpisodeKind, HomelessnessOutcome
from caremap.referrals import operations as referrals
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from caremap.worktasks.enums import TaskKind, TaskStatus
from tests.factories import (
    accept,
    audit_actions,
    last_audit_id,
    make_episode,
    make_person,
    make_referral,
    open_tasks,
    refused,
    staff,
    worker_for,
)

pytestmark = pytest.mark.usefixtures("ctx")

TODAY = dt.date.today()


def referral_of(episode) -> Referral:
    return db.session.get(Referral, episode.referral_id)


def test_begin_episode_for_reablement_sets_the_day_91_follow_up_and_opens_its_task():
    referral = make_referral()
    worker = worker_for(referral.service)
    accept(referral, actor=worker)
    discharged = TODAY - dt.timedelta(days=10)
    before = last_audit_id()
    episode = referrals.begin_episode(
        actor=worker,
        referral=referral,
        details={"started_on": discharged, "discharged_on": discharged},
    )
    assert episode.kind == EpisodeKind.REABLEMENT  # what the routing rule says
    assert episode.referral_id == referral.id and episode.person_id == referral.person_id
    assert episode.service_id == referral.service_id and episode.is_open
    assert episode.follow_up_due_on == discharged + dt.timedelta(days=91)
    (task,) = open_tasks(episode_id=episode.id)
    assert task.kind == TaskKind.DAY91_FOLLOW_UP
    assert task.due_on == episode.follow_up_due_on and task.person_id == episode.person_id
    assert task.owner_team_id == worker.team_id or task.owner_user_id == worker.id
    assert referral.status == ReferralStatus.ACTIVE
    actions = audit_actions(since=before)
    assert "episodes.start" in actions and "referrals.active" in actions
    assert "tasks.create" in actions


def test_a_general_episode_has_no_follow_up():
    referral = make_referral(needs=["carer_strain"])
    episode = make_episode(referral)
    assert episode.kind == EpisodeKind.GENERAL
    assert episode.follow_up_due_on is None
    assert not open_tasks(episode_id=episode.id)


def test_the_fields_of_an_episode_must_fit_its_kind():
    """Reablement needs the discharge date (the schema or the operation says so)."""
    referral = make_referral()
    worker = worker_for(referral.service)
    accept(referral, actor=worker)
    with pytest.raises((ma.ValidationError, DomainError)) as caught, db.session.begin_nested():
        referrals.begin_episode(actor=worker, referral=referral, details={"started_on": TODAY})
    error = caught.value
    assert "discharged_on" in (
        error.messages if isinstance(error, ma.ValidationError) else [error.field]
    )
    assert referral.status == ReferralStatus.ACCEPTED
    assert not open_tasks(person_id=referral.person_id, kind=TaskKind.DAY91_FOLLOW_UP)


def test_start_episode_without_a_referral():
    person = make_person()
    discharged = TODAY - dt.timedelta(days=5)
    service = db.session.scalar(sa.select(Service).where(Service.code == "reablement"))
    episode = episodes.start_episode(
        actor=worker_for(service),
        person=person,
        service=service,
        details={
            "kind": EpisodeKind.REABLEMENT,
            "started_on": discharged,
            "discharged_on": discharged,
        },
    )
    assert episode.referral_id is None
    assert episode.follow_up_due_on == discharged + dt.timedelta(days=91)
    assert [t.kind for t in open_tasks(episode_id=episode.id)] == [TaskKind.DAY91_FOLLOW_UP]
    assert "episodes.start" in audit_actions(person_id=person.id)


def test_end_episode_closes_the_referral_with_the_same_outcome():
    episode = make_episode()
    referral = referral_of(episode)
    before = last_audit_id()
    episodes.end_episode(
        actor=staff("admin"),
        episode=episode,
        ended_on=TODAY,
        end_reason="Independent again",
        version=episode.version,
    )
    assert not episode.is_open and episode.end_reason == "Independent again"
    assert referral.status == ReferralStatus.CLOSED
    assert referral.outcome == "Independent again"
    actions = audit_actions(since=before)
    assert "episodes.end" in actions and "referrals.closed" in actions


def test_end_episode_refuses_a_stale_version_and_changes_nothing():
    episode = make_episode()
    before = last_audit_id()
    with refused(StaleVersionError, field="version"):
        episodes.end_episode(
            actor=staff("admin"),
            episode=episode,
            ended_on=TODAY,
            end_reason="Done",
            version=episode.version - 1,
        )
    assert episode.is_open and referral_of(episode).status == ReferralStatus.ACTIVE
    assert last_audit_id() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ended_on": TODAY - dt.timedelta(days=30)}, "ended_on"),  # before it started
        ({"homelessness_outcome": "prevented"}, "homelessness_outcome"),  # not that kind
    ],
)
def test_end_episode_names_the_field_it_refuses(change, field):
    episode = make_episode()
    if "homelessness_outcome" in change:
        change = {"homelessness_outcome": HomelessnessOutcome(change["homelessness_outcome"])}
    with refused(field=field):
        episodes.end_episode(
            actor=staff("admin"),
            episode=episode,
            **{"ended_on": TODAY, "end_reason": "Done", "version": episode.version, **change},
        )
    assert episode.is_open and referral_of(episode).status == ReferralStatus.ACTIVE


def test_an_ended_episode_cannot_end_again():
    episode = make_episode()
    admin = staff("admin")
    episodes.end_episode(
        actor=admin, episode=episode, ended_on=TODAY, end_reason="Done", version=episode.version
    )
    with refused(field="ended_on"):
        episodes.end_episode(
            actor=admin,
            episode=episode,
            ended_on=TODAY,
            end_reason="Again",
            version=episode.version,
        )
    assert episode.end_reason == "Done"


def test_recording_the_day_91_outcome_completes_the_follow_up_task():
    episode = make_episode(started_on=TODAY - dt.timedelta(days=95))
    (task,) = open_tasks(episode_id=episode.id)
    before = last_audit_id()
    episodes.record_day91_outcome(
        actor=staff("admin"),
        episode=episode,
        outcome=Day91Outcome.AT_HOME,
        version=episode.version,
    )
    assert episode.day91_outcome == Day91Outcome.AT_HOME
    assert episode.day91_outcome_on == TODAY  # "at home" is dated the day it is recorded
    db.session.refresh(task)
    assert task.status == TaskStatus.DONE
    assert not open_tasks(episode_id=episode.id)
    assert "episodes.day91_outcome" in audit_actions(since=before)


def test_at_home_is_refused_before_the_follow_up_date_naming_the_field_and_the_date():
    """Recorded on day 10, "at home" would count as an ASCOF 2B success at once."""
    episode = make_episode()  # discharged ten days ago
    due = episode.follow_up_due_on
    before = last_audit_id()
    with refused(field="outcome") as caught:
        episodes.record_day91_outcome(
            actor=staff("admin"),
            episode=episode,
            outcome=Day91Outcome.AT_HOME,
            version=episode.version,
        )
    assert f"{due:%-d %B %Y}" in caught.value.message
    db.session.refresh(episode)
    assert episode.day91_outcome is None and episode.day91_outcome_on is None
    assert open_tasks(episode_id=episode.id) and last_audit_id() == before


def test_at_home_is_recorded_on_the_follow_up_date_itself():
    episode = make_episode(started_on=TODAY - dt.timedelta(days=91))
    assert episode.follow_up_due_on == TODAY
    episodes.record_day91_outcome(
        actor=staff("admin"), episode=episode, outcome=Day91Outcome.AT_HOME, version=episode.version
    )
    assert episode.day91_outcome == Day91Outcome.AT_HOME


def test_at_home_takes_no_other_date_than_the_day_it_is_recorded():
    episode = make_episode(started_on=TODAY - dt.timedelta(days=100))
    with refused(field="outcome_on"):
        episodes.record_day91_outcome(
            actor=staff("admin"),
            episode=episode,
            outcome=Day91Outcome.AT_HOME,
            outcome_on=TODAY - dt.timedelta(days=3),
            version=episode.version,
        )
    assert episode.day91_outcome is None


@pytest.mark.parametrize(
    "outcome", [Day91Outcome.DIED, Day91Outcome.IN_HOSPITAL, Day91Outcome.IN_CARE_HOME]
)
def test_an_outcome_that_ends_the_question_early_is_recorded_any_day_with_its_date(outcome):
    episode = make_episode()  # day 10: before the follow-up date
    happened = TODAY - dt.timedelta(days=4)
    before = last_audit_id()
    episodes.record_day91_outcome(
        actor=staff("admin"),
        episode=episode,
        outcome=outcome,
        outcome_on=happened,
        version=episode.version,
    )
    assert episode.day91_outcome == outcome and episode.day91_outcome_on == happened
    assert not open_tasks(episode_id=episode.id)
    assert "episodes.day91_outcome" in audit_actions(since=before)


@pytest.mark.parametrize(
    "days_ago",
    [None, 11, -1],  # no date; the day before the discharge; tomorrow
)
def test_an_early_outcome_needs_a_date_between_the_discharge_and_today(days_ago):
    episode = make_episode()  # discharged ten days ago
    outcome_on = None if days_ago is None else TODAY - dt.timedelta(days=days_ago)
    before = last_audit_id()
    with refused(field="outcome_on"):
        episodes.record_day91_outcome(
            actor=staff("admin"),
            episode=episode,
            outcome=Day91Outcome.DIED,
            outcome_on=outcome_on,
            version=episode.version,
        )
    db.session.refresh(episode)
    assert episode.day91_outcome is None and episode.day91_outcome_on is None
    assert open_tasks(episode_id=episode.id) and last_audit_id() == before


def test_day_91_outcome_refuses_a_stale_version_or_the_wrong_kind():
    episode = make_episode()
    with refused(StaleVersionError, field="version"):
        episodes.record_day91_outcome(
            actor=staff("admin"),
            episode=episode,
            outcome=Day91Outcome.DIED,
            version=episode.version - 1,
        )
    assert episode.day91_outcome is None and open_tasks(episode_id=episode.id)
    general = make_episode(make_referral(needs=["carer_strain"]))
    with refused(field="outcome"):
        episodes.record_day91_outcome(
            actor=staff("admin"),
            episode=general,
            outcome=Day91Outcome.AT_HOME,
            version=general.version,
        )
    assert general.day91_outcome is None


def test_an_episode_outside_the_persons_life_is_refused_naming_the_field():
    """History entered after the fact is checked like anything else: an episode cannot
    start before the person was born, nor end after they died."""
    born = TODAY - dt.timedelta(days=30)
    person = make_person(date_of_birth=born.isoformat())
    service = db.session.scalar(sa.select(Service).where(Service.code == "reablement"))

    def start(on):
        return episodes.start_episode(
            actor=worker_for(service),
            person=person,
            service=service,
            details={"kind": EpisodeKind.GENERAL, "started_on": on},
        )

    with pytest.raises(DomainError, match="before the person was born") as early:
        start(born - dt.timedelta(days=3))
    assert early.value.field == "started_on"
    episode = start(TODAY - dt.timedelta(days=10))
    person.date_of_death = TODAY - dt.timedelta(days=5)
    with pytest.raises(DomainError, match="after the person died") as late:
        episodes.end_episode(
            actor=worker_for(service),
            episode=episode,
            ended_on=TODAY,
            end_reason="Finished",
            version=episode.version,
        )
    assert late.value.field == "ended_on"
