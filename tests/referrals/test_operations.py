"""Referral operations called directly (no HTTP): what each verb does to the referral, its
tasks and the audit trail, and what it refuses. Behaviour only: these hold whichever
module ends up doing the work."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.careteam.models import CareTeamMember
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, StaleVersionError
from caremap.core.extensions import db
from caremap.people import operations as people
from caremap.referrals import operations as referrals
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from caremap.worktasks.enums import TaskKind
from tests.factories import (
    OLDER_PERSON_BORN,
    accept,
    audit_actions,
    last_audit_id,
    make_episode,
    make_person,
    make_referral,
    make_referrals,
    open_tasks,
    refused,
    staff,
    submit,
    worker_for,
)

pytestmark = pytest.mark.usefixtures("ctx")


def test_submit_routes_by_the_rules_and_opens_the_services_response_task():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    before = last_audit_id()
    submission, created = submit(person, urgency="urgent")
    assert created
    (referral,) = submission.referrals
    assert referral.service.code == "reablement"
    assert referral.status == ReferralStatus.ROUTED
    assert referral.due_at - referral.received_at == dt.timedelta(hours=48)
    (task,) = open_tasks(referral_id=referral.id)
    assert task.kind == TaskKind.REFERRAL_RESPONSE
    assert task.person_id == person.id
    assert task.due_on == referral.due_at.date()
    assert task.owner_team is not None and task.owner_team.service_id == referral.service_id
    assert "referrals.submit" in audit_actions(since=before)
    assert set(audit_actions(person_id=person.id)) >= {"referrals.submit", "tasks.create"}


def test_several_needs_make_one_referral_and_one_response_task_per_service():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    made = make_referrals(person, needs=["hospital_discharge", "carer_strain"])
    assert sorted(r.service.code for r in made) == ["carer_support", "reablement"]
    for referral in made:
        assert [t.kind for t in open_tasks(referral_id=referral.id)] == [TaskKind.REFERRAL_RESPONSE]


def test_no_rule_matching_sends_it_to_single_point_of_access_triage():
    referral = make_referral(needs=["domestic_abuse"])
    assert referral.service.code == "spa_triage"
    assert open_tasks(referral_id=referral.id)


def test_a_retry_returns_what_the_first_attempt_made():
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    first, created = submit(person, idempotency_key="op-key-1")
    again, created_again = submit(person, idempotency_key="op-key-1")
    assert created and not created_again and again.id == first.id
    same, created_same = submit(person)  # the same services and needs, minutes later
    assert not created_same and same.id == first.id
    assert len(open_tasks(person_id=person.id, kind=TaskKind.REFERRAL_RESPONSE)) == 1


def test_an_idempotency_key_used_for_another_person_is_refused_naming_the_key():
    submit(make_person(date_of_birth=OLDER_PERSON_BORN), idempotency_key="op-key-2")
    with refused(field="Idempotency-Key"):
        submit(make_person(date_of_birth=OLDER_PERSON_BORN), idempotency_key="op-key-2")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"needs": ["no_such_need"]}, "needs"),
        ({"received_at": (utcnow() + dt.timedelta(days=2)).isoformat()}, "received_at"),
    ],
)
def test_bad_referrals_name_the_field_and_change_nothing(overrides, field):
    person = make_person(date_of_birth=OLDER_PERSON_BORN)
    before = last_audit_id()
    with refused(field=field):
        submit(person, **overrides)
    assert not open_tasks(person_id=person.id)
    assert last_audit_id() == before


def test_accepting_closes_the_response_task_and_is_audited():
    referral = make_referral()
    before = last_audit_id()
    accept(referral)
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.responded_at is not None
    assert not open_tasks(referral_id=referral.id)
    assert "referrals.accepted" in audit_actions(since=before)


@pytest.mark.parametrize("answer", ["decline", "redirect"])
def test_declining_or_redirecting_also_closes_the_response_task(answer):
    referral = make_referral()
    worker = worker_for(referral.service)
    if answer == "decline":
        referrals.decline_referral(
            actor=worker, referral=referral, version=referral.version, reason="Not eligible"
        )
        assert referral.status == ReferralStatus.DECLINED
    else:
        onward = referrals.redirect_referral(
            actor=worker,
            referral=referral,
            version=referral.version,
            reason="Needs equipment first",
            service_code="community_equipment",
        )
        assert referral.status == ReferralStatus.REDIRECTED
        assert onward.service.code == "community_equipment"
        assert onward.redirected_from_id == referral.id
        assert onward.status == ReferralStatus.ROUTED
        assert [t.kind for t in open_tasks(referral_id=onward.id)] == [TaskKind.REFERRAL_RESPONSE]
    assert not open_tasks(referral_id=referral.id)
    assert f"referrals.{referral.status.value}" in audit_actions(person_id=referral.person_id)


@pytest.mark.parametrize(
    "answer",
    [
        lambda r, w, v: referrals.accept_referral(actor=w, referral=r, version=v),
        lambda r, w, v: referrals.decline_referral(actor=w, referral=r, version=v, reason="No"),
        lambda r, w, v: referrals.redirect_referral(
            actor=w, referral=r, version=v, reason="No", service_code="community_equipment"
        ),
    ],
    ids=["accept", "decline", "redirect"],
)
def test_a_stale_version_is_refused_and_changes_nothing(answer):
    referral = make_referral()
    before = last_audit_id()
    with refused(StaleVersionError, field="version"):
        answer(referral, worker_for(referral.service), referral.version - 1)
    assert referral.status == ReferralStatus.ROUTED
    assert open_tasks(referral_id=referral.id)
    assert last_audit_id() == before


def test_close_on_a_stale_version_is_refused():
    referral = make_referral()
    accept(referral)
    with refused(StaleVersionError):
        referrals.close_referral(
            actor=staff("admin"), referral=referral, version=referral.version - 1, outcome="Seen"
        )
    assert referral.status == ReferralStatus.ACCEPTED


def test_declining_needs_a_reason():
    referral = make_referral()
    with refused(field="reason"):
        referrals.decline_referral(
            actor=worker_for(referral.service),
            referral=referral,
            version=referral.version,
            reason="",
        )
    assert referral.status == ReferralStatus.ROUTED


def test_redirecting_to_the_same_or_an_unknown_service_names_the_service():
    referral = make_referral()
    worker = worker_for(referral.service)
    for code in ("reablement", "no_such_service"):
        with refused(field="service"):
            referrals.redirect_referral(
                actor=worker,
                referral=referral,
                version=referral.version,
                reason="Elsewhere",
                service_code=code,
            )
        assert referral.status == ReferralStatus.ROUTED


def test_a_key_worker_is_only_chosen_where_the_service_allocates_one():
    referral = make_referral()
    with refused(field="key_worker_id"):
        accept(referral, key_worker_id=staff("key_worker").id)
    assert referral.status == ReferralStatus.ROUTED


def test_accepting_for_the_complex_needs_hub_allocates_a_lead_key_worker():
    person = make_person(date_of_birth="1980-05-05")
    referral = make_referral(person, needs=["homelessness", "offending"])
    assert referral.service.code == "complex_needs_hub"
    worker = staff("key_worker")  # in the hub's team
    accept(referral, actor=worker)
    leads = db.session.scalars(
        sa.select(CareTeamMember).where(
            CareTeamMember.person_id == person.id, CareTeamMember.ended_at.is_(None)
        )
    ).all()
    assert [m.user_id for m in leads] == [worker.id]


def test_steps_the_flow_does_not_allow_are_refused_naming_the_status():
    referral = make_referral()
    worker = worker_for(referral.service)
    with refused(ConflictError, field="status"):
        referrals.begin_episode(
            actor=worker, referral=referral, details={"started_on": dt.date.today()}
        )
    with refused(ConflictError, field="status"):
        referrals.close_referral(
            actor=worker, referral=referral, version=referral.version, outcome="Seen"
        )
    assert referral.status == ReferralStatus.ROUTED


def test_accepted_without_an_episode_it_can_be_closed_with_an_outcome():
    referral = make_referral()
    accept(referral)
    worker = worker_for(referral.service)
    with refused(field="outcome"):
        referrals.close_referral(
            actor=worker, referral=referral, version=referral.version, outcome=""
        )
    referrals.close_referral(
        actor=worker, referral=referral, version=referral.version, outcome="Advice given"
    )
    assert referral.status == ReferralStatus.CLOSED and referral.outcome == "Advice given"
    assert "referrals.closed" in audit_actions(person_id=referral.person_id)


def test_an_active_referral_is_closed_by_ending_its_episode_not_directly():
    episode = make_episode()
    referral = episode_referral(episode)
    assert referral.status == ReferralStatus.ACTIVE
    with refused(field="outcome"):
        referrals.close_referral(
            actor=staff("admin"), referral=referral, version=referral.version, outcome="Done"
        )
    assert referral.status == ReferralStatus.ACTIVE


def test_accepting_with_episode_details_starts_the_episode_at_once():
    referral = make_referral()
    worker = worker_for(referral.service)
    discharged = dt.date.today() - dt.timedelta(days=3)
    referrals.accept_referral(
        actor=worker,
        referral=referral,
        version=referral.version,
        start_episode_details={"started_on": discharged, "discharged_on": discharged},
    )
    assert referral.status == ReferralStatus.ACTIVE
    assert open_tasks(person_id=referral.person_id, kind=TaskKind.DAY91_FOLLOW_UP)


def test_a_merged_record_cannot_be_referred():
    survivor = make_person(date_of_birth=OLDER_PERSON_BORN)
    duplicate = make_person(date_of_birth=OLDER_PERSON_BORN)
    people.merge_people(
        actor=staff("admin"), survivor=survivor, duplicate=duplicate, reason="Same person"
    )
    with refused(field="person_id"):
        submit(duplicate)


def episode_referral(episode):
    return db.session.get(Referral, episode.referral_id)
