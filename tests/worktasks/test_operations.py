"""Work task operations called directly (no HTTP): creating, completing (a day-91
follow-up's answer reaches its episode), and what is refused. Behaviour only: whichever
module records the day-91 outcome, the episode must end up with it."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.catalogue.models import Service
from caremap.core.errors import StaleVersionError
from caremap.core.extensions import db
from caremap.episodes import operations as episodes
from caremap.episodes.enums import Day91Outcome
from caremap.worktasks import operations as worktasks
from caremap.worktasks.enums import TaskKind, TaskStatus
from tests.factories import (
    audit_actions,
    last_audit_id,
    make_episode,
    make_person,
    make_task,
    make_user,
    open_tasks,
    refused,
    staff,
)

pytestmark = pytest.mark.usefixtures("ctx")


def test_create_task_gives_it_one_owner_and_is_audited():
    person = make_person()
    before = last_audit_id()
    task = make_task(person, title="Phone the daughter", kind=TaskKind.OTHER)
    assert task.status == TaskStatus.OPEN and task.person_id == person.id
    assert task.owner_team_id == staff("key_worker").team_id and task.owner_user_id is None
    assert open_tasks(person_id=person.id) == [task]
    assert audit_actions(since=before) == ["tasks.create"]


@pytest.mark.parametrize("owners", ["none", "both"])
def test_a_task_has_exactly_one_owner(owners):
    person = make_person()
    worker = staff("key_worker")
    before = last_audit_id()
    with refused(field="owner"):
        worktasks.create_task(
            actor=worker,
            person_id=person.id,
            kind=TaskKind.OTHER,
            title="Nobody's",
            due_on=dt.date.today(),
            owner_user=worker if owners == "both" else None,
            owner_team=worker.team if owners == "both" else None,
        )
    assert not open_tasks(person_id=person.id)
    assert last_audit_id() == before


def test_completing_a_task_records_who_and_the_outcome():
    person = make_person()
    worker = staff("key_worker")
    task = make_task(person, owner_user=worker)
    before = last_audit_id()
    worktasks.complete_task(
        actor=worker, task=task, version=task.version, outcome={"note": "Spoke to her"}
    )
    assert task.status == TaskStatus.DONE
    assert task.completed_by_id == worker.id and task.completed_at is not None
    assert task.outcome == {"note": "Spoke to her"}
    assert not open_tasks(person_id=person.id)
    assert "tasks.complete" in audit_actions(since=before)


def test_completing_on_a_stale_version_is_refused_and_changes_nothing():
    task = make_task(make_person())
    before = last_audit_id()
    with refused(StaleVersionError, field="version"):
        worktasks.complete_task(actor=staff("key_worker"), task=task, version=task.version - 1)
    assert task.status == TaskStatus.OPEN
    assert last_audit_id() == before


def test_a_done_task_cannot_be_completed_again():
    task = make_task(make_person())
    worker = staff("key_worker")
    worktasks.complete_task(actor=worker, task=task, version=task.version)
    with refused(field="status"):
        worktasks.complete_task(actor=worker, task=task, version=task.version)


def test_completing_the_day_91_follow_up_records_where_the_person_is_on_the_episode():
    episode = make_episode()
    (task,) = open_tasks(episode_id=episode.id, kind=TaskKind.DAY91_FOLLOW_UP)
    worker = staff("admin")
    moved = dt.date.today() - dt.timedelta(days=3)
    before = last_audit_id()
    worktasks.complete_task(
        actor=worker,
        task=task,
        version=task.version,
        outcome={"day91_outcome": "in_care_home", "day91_outcome_on": moved.isoformat()},
        seen_versions={"episode_version": episode.version},
    )
    db.session.refresh(episode)
    assert episode.day91_outcome == Day91Outcome.IN_CARE_HOME
    assert episode.day91_outcome_on == moved
    assert task.status == TaskStatus.DONE
    assert not open_tasks(episode_id=episode.id)
    actions = audit_actions(since=before)
    assert "tasks.complete" in actions and "episodes.day91_outcome" in actions


def test_a_day_91_follow_up_cannot_say_at_home_before_its_due_date():
    """The task is listed from the day the episode starts; "at home" must wait for day 91,
    and the refusal names the task's field and the date."""
    episode = make_episode()  # discharged ten days ago
    (task,) = open_tasks(episode_id=episode.id, kind=TaskKind.DAY91_FOLLOW_UP)
    before = last_audit_id()
    with refused(field="day91_outcome") as caught:
        worktasks.complete_task(
            actor=staff("admin"),
            task=task,
            version=task.version,
            outcome={"day91_outcome": "at_home"},
            seen_versions={"episode_version": episode.version},
        )
    assert f"{episode.follow_up_due_on:%-d %B %Y}" in caught.value.message
    db.session.refresh(task)
    db.session.refresh(episode)
    assert task.status == TaskStatus.OPEN and episode.day91_outcome is None
    assert last_audit_id() == before


def test_an_early_outcome_through_the_task_needs_its_date():
    episode = make_episode()
    (task,) = open_tasks(episode_id=episode.id, kind=TaskKind.DAY91_FOLLOW_UP)
    with refused(field="day91_outcome_on"):
        worktasks.complete_task(
            actor=staff("admin"),
            task=task,
            version=task.version,
            outcome={"day91_outcome": "died"},
            seen_versions={"episode_version": episode.version},
        )
    db.session.refresh(task)
    assert task.status == TaskStatus.OPEN


def test_completing_a_day_91_follow_up_checks_the_episode_version_the_worker_saw():
    """The episode changed after the worker read it (another worker ended it): the task's
    completion must not record the day-91 outcome over it."""
    episode = make_episode()
    (task,) = open_tasks(episode_id=episode.id, kind=TaskKind.DAY91_FOLLOW_UP)
    seen = episode.version
    episodes.end_episode(
        actor=staff("admin"),
        episode=episode,
        ended_on=dt.date.today(),
        end_reason="Moved away",
        version=episode.version,
    )
    before = last_audit_id()
    for given in ({"episode_version": seen}, {}):
        with refused(StaleVersionError if given else None, field="episode_version") as caught:
            worktasks.complete_task(
                actor=staff("admin"),
                task=task,
                version=task.version,
                outcome={"day91_outcome": "died", "day91_outcome_on": dt.date.today().isoformat()},
                seen_versions=given,
            )
        assert caught.value.status_code == (409 if given else 422)
    db.session.refresh(task)
    db.session.refresh(episode)
    assert task.status == TaskStatus.OPEN and episode.day91_outcome is None
    assert last_audit_id() == before


@pytest.mark.parametrize("outcome", [None, {}, {"day91_outcome": "on_the_moon"}])
def test_a_day_91_follow_up_must_say_where_the_person_is(outcome):
    episode = make_episode()
    (task,) = open_tasks(episode_id=episode.id, kind=TaskKind.DAY91_FOLLOW_UP)
    before = last_audit_id()
    with refused(field="day91_outcome"):
        worktasks.complete_task(
            actor=staff("admin"), task=task, version=task.version, outcome=outcome
        )
    db.session.refresh(task)
    db.session.refresh(episode)
    assert task.status == TaskStatus.OPEN and episode.day91_outcome is None
    assert last_audit_id() == before


def test_the_work_of_a_service_goes_to_the_actors_team_when_it_is_in_the_service():
    reablement = db.session.scalar(sa.select(Service).where(Service.code == "reablement"))
    first = worktasks.team_for_service(reablement)
    assert first.service_id == reablement.id
    other = make_user(team="reablement-south-hams-west-devon")
    assert worktasks.team_for_service(reablement, prefer=other) == other.team
    outsider = staff("practitioner")
    assert worktasks.team_for_service(reablement, prefer=outsider) == first


def test_a_service_without_a_team_cannot_own_work():
    service = Service(code="no_team_service", name="No team", strand_id=_any_strand())
    db.session.add(service)
    db.session.flush()
    with refused(field="service"):
        worktasks.team_for_service(service)


def _any_strand() -> int:
    return db.session.scalar(sa.select(Service.strand_id).limit(1))
