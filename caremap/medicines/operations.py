"""Recording medicines and reviews; keeping the medication review task in step with the count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service, Team
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.medicines.models import MedicationReview, Medicine
from caremap.medicines.queries import (
    active_counts,
    active_on,
    last_reviews,
    people_with_at_least,
    thresholds,
)
from caremap.people.models import Person
from caremap.people.operations import lock_person
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task
from caremap.worktasks.operations import close_tasks, create_task, team_for_service
from caremap.worktasks.queries import open_tasks

PHARMACIST_SERVICE = "pharmacist_medication_review"
REVIEW_DUE_DAYS = 28
REVIEWED_RECENTLY = dt.timedelta(days=365)


def record_medicine(*, actor: User, person: Person, details: dict[str, Any]) -> Medicine:
    """Record a medicine the person takes, so the count behind the polypharmacy flag is
    right; reaching the threshold opens a medication review task at once, not at a recount.
    The same medicine already taken (its dm+d code, or its name ignoring case and spaces)
    is refused unless `confirm_second_course` says it is a second course: entered twice by
    mistake, it would double the count silently."""
    details = dict(details)
    second_course = bool(details.pop("confirm_second_course", False))
    lock_person(person)  # the count and the review task move together
    if not second_course:
        _refuse_a_second_course(person, details)
    medicine = Medicine(person_id=person.id, recorded_by_id=actor.id, **details)
    db.session.add(medicine)
    db.session.flush()
    changes: dict[str, Any] = {"medicine_id": medicine.id, "name": medicine.name}
    if second_course:
        changes["second_course"] = True
    audit.record(actor, "medicines.record", person=person, changes=changes)
    ensure_review_tasks(actor=actor, person_ids=[person.id])
    return medicine


def _refuse_a_second_course(person: Person, details: dict[str, Any]) -> None:
    same = _squashed(Medicine.name) == "".join(details["name"].split()).lower()
    if details.get("dmd_code"):
        same = sa.or_(same, Medicine.dmd_code == details["dmd_code"])
    taken = db.session.scalar(
        sa.select(Medicine)
        .where(Medicine.person_id == person.id, same, active_on(clock.today()))
        .order_by(Medicine.started_on, Medicine.id)
        .limit(1)
    )
    if taken is None:
        return
    by_code = bool(details.get("dmd_code")) and taken.dmd_code == details["dmd_code"]
    raise ConflictError(
        f"{taken.name} {taken.dose} ({taken.frequency}) is already taken, since "
        f"{taken.started_on:%-d %B %Y}"
        + (f", with the same dm+d code {taken.dmd_code}" if by_code else "")
        + ". If this is a second course of the same medicine, confirm it and record it "
        "again; otherwise change or stop the one recorded.",
        field="dmd_code" if by_code else "name",
    )


def _squashed(column: Any) -> Any:
    """A name without spaces, in lower case: "Co-codamol 30/500" and "co-codamol30/500"
    are one medicine. Spaces, tabs and line breaks all go."""
    for space in (" ", "\t", "\n", "\r"):
        column = sa.func.replace(column, space, "")
    return sa.func.lower(column)


def stop_medicine(
    *, actor: User, medicine: Medicine, stopped_on: dt.date, reason: str, version: int
) -> Medicine:
    """Stop a medicine rather than delete it: the history shows what the person took and
    why it ended, and counts on earlier dates stay as they were."""
    check_version(medicine, version)
    if medicine.stopped_on is not None:
        raise DomainError("This medicine has already stopped", field="stopped_on")
    if stopped_on < medicine.started_on:
        raise DomainError("must be on or after the day it started", field="stopped_on")
    medicine.stopped_on = stopped_on
    medicine.stop_reason = reason
    db.session.flush()
    audit.record(
        actor,
        "medicines.stop",
        person_id=medicine.person_id,
        changes={"medicine_id": medicine.id, "stopped_on": stopped_on},
        reason=reason,
    )
    return medicine


def record_review(*, actor: User, person: Person, details: dict[str, Any]) -> MedicationReview:
    """Record a medication review: medicines it stopped end on its date, and the open review
    task is done, so the work it asked for is closed by the review itself. The flag stays
    while the count is at the threshold: the risk is the count, not the missing review."""
    lock_person(person)
    stopped_ids = details.get("stopped", [])
    if stopped_ids:
        found = db.session.scalars(
            sa.select(Medicine).where(
                Medicine.id.in_(stopped_ids),
                Medicine.person_id == person.id,
                Medicine.stopped_on.is_(None),
            )
        ).all()
        if len(found) != len(set(stopped_ids)):
            raise DomainError(
                "Only this person's current medicines can be stopped", field="stopped"
            )
        for medicine in found:
            medicine.stopped_on = details["reviewed_on"]
            medicine.stop_reason = "stopped at medication review"
    review = MedicationReview(person_id=person.id, reviewed_by_id=actor.id, **details)
    db.session.add(review)
    db.session.flush()
    close_tasks(
        actor=actor,
        tasks=_open_review_tasks([person.id]).get(person.id, []),
        because="medication review recorded",
        outcome={"medication_review_id": review.id},
    )
    audit.record(
        actor,
        "medicines.review",
        person=person,
        changes={"review_id": review.id, "stopped": stopped_ids},
    )
    return review


def review_not_needed(*, actor: User, person: Person, task_id: int, reason: str) -> None:
    """A medication review task closed without a review, by a decision that one is not
    needed: audited with its reason, and no review row, so the figure of people reviewed
    in the last year counts reviews that happened and nothing else."""
    audit.record(
        actor,
        "medicines.review_not_needed",
        person=person,
        changes={"task_id": task_id},
        reason=reason,
    )


def ensure_review_tasks(*, actor: User | None, person_ids: list[int] | None = None) -> int:
    """Open a medication review task for everyone at or over the threshold who has neither
    an open one nor a review in the last year, so no one on many medicines goes unreviewed
    and no one is asked twice. With no ids: the whole city (a recount)."""
    today = clock.today()
    limit = thresholds().flag_at
    if person_ids is None:
        person_ids = list(db.session.scalars(people_with_at_least(limit, on=today)))
        candidates = person_ids
    else:
        counts = active_counts(person_ids, on=today)
        candidates = [pid for pid in person_ids if counts.get(pid, 0) >= limit]
    if not candidates:
        return 0
    open_tasks = _open_review_tasks(candidates)
    reviewed = last_reviews(candidates)
    owners = _review_owners(candidates)
    created = 0
    for person_id in candidates:
        if open_tasks.get(person_id):
            continue
        if person_id in reviewed and today - reviewed[person_id] < REVIEWED_RECENTLY:
            continue
        create_task(
            actor=actor,
            person_id=person_id,
            kind=TaskKind.MEDICATION_REVIEW,
            title=f"Medication review: {limit} or more medicines",
            due_on=today + dt.timedelta(days=REVIEW_DUE_DAYS),
            owner_team=owners[person_id],
        )
        created += 1
    return created


def set_thresholds(*, actor: User, flag_at: int, high_at: int, version: int) -> int:
    """Change the thresholds for everyone at once, with a recount, so a lower threshold
    reaches the people it newly covers today; returns how many review tasks it opened."""
    row = thresholds()
    check_version(row, version)
    if high_at <= flag_at:
        raise DomainError("must be more than the polypharmacy threshold", field="high_at")
    before = (row.flag_at, row.high_at)
    row.flag_at, row.high_at = flag_at, high_at
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    db.session.flush()
    opened = ensure_review_tasks(actor=actor)
    audit.record(
        actor,
        "medicines.thresholds",
        changes={"from": before, "to": [flag_at, high_at], "review_tasks_opened": opened},
    )
    return opened


def _open_review_tasks(person_ids: list[int]) -> dict[int, list[Task]]:
    found: dict[int, list[Task]] = {}
    for task in open_tasks(kind=TaskKind.MEDICATION_REVIEW, person_ids=person_ids):
        found.setdefault(task.person_id, []).append(task)
    return found


def _review_owners(person_ids: list[int]):
    """The lead key worker's team where there is one, else the pharmacist review service."""
    leads = dict(
        db.session.execute(
            sa.select(CareTeamMember.person_id, User.team_id)
            .join(User, User.id == CareTeamMember.user_id)
            .where(
                CareTeamMember.person_id.in_(person_ids),
                CareTeamMember.is_lead.is_(True),
                CareTeamMember.ended_at.is_(None),
            )
        ).all()
    )
    pharmacist = db.session.scalar(sa.select(Service).where(Service.code == PHARMACIST_SERVICE))
    fallback = team_for_service(pharmacist) if pharmacist is not None else None
    teams = {
        t.id: t for t in db.session.scalars(sa.select(Team).where(Team.id.in_(set(leads.values()))))
    }
    owners = {}
    for person_id in person_ids:
        owner = teams.get(leads.get(person_id)) or fallback
        if owner is None:
            raise DomainError("No team can own medication reviews", field="owner")
        owners[person_id] = owner
    return owners
