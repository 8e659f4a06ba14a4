"""Care team membership, lead key worker assignment and handover, and break-glass access."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from caremap import audit
from caremap.access.operations import check_grantor
from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service, Team
from caremap.core.db import utcnow
from caremap.core.errors import ConflictError, DomainError
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.people.operations import lock_person

LEAD_ROLE = "Lead key worker"


def active_lead(person_id: int) -> CareTeamMember | None:
    """The person's lead key worker now, if any: there is at most one (a partial unique
    index holds it), so whoever asks "who leads?" gets one name."""
    return db.session.scalar(
        sa.select(CareTeamMember).where(
            CareTeamMember.person_id == person_id,
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
    )


def _flush_care_team() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise ConflictError(
            "The care team changed at the same moment; reload and try again", field="user_id"
        ) from error


def assign_lead_key_worker(
    *, actor: User, person: Person, worker: User, reason: str | None = None
) -> CareTeamMember:
    """Make `worker` the person's one lead key worker; the previous lead's period ends with
    the handover reason, and stays in the history."""
    if not worker.is_active or worker.role != Role.KEY_WORKER:
        raise DomainError("A lead key worker must be an active key worker", field="user_id")
    check_grantor(actor=actor, person=person, grant="lead_key_worker", to_user_id=worker.id)
    lock_person(person)
    current = active_lead(person.id)
    if current is not None and current.user_id == worker.id:
        raise DomainError(f"{worker.full_name} is already the lead key worker", field="user_id")
    now = utcnow()
    if current is not None:
        if not reason:
            raise DomainError("Give the handover reason", field="reason")
        current.ended_at = now
        current.end_reason = reason
    existing = _active_membership(person.id, worker.id)
    if existing is not None:  # already in the team in another role: that period ends too
        existing.ended_at = now
        existing.end_reason = "became lead key worker"
    _flush_care_team()
    membership = CareTeamMember(
        person_id=person.id,
        user_id=worker.id,
        role=LEAD_ROLE,
        is_lead=True,
        started_at=now,
        assigned_by_id=actor.id,
    )
    db.session.add(membership)
    _flush_care_team()
    audit.record(
        actor,
        "careteam.assign_lead",
        person=person,
        reason=reason,
        changes={"to": worker.id, "from": current.user_id if current else None},
    )
    return membership


def add_member(*, actor: User, person: Person, worker: User, role: str) -> CareTeamMember:
    """Add a worker to the person's care team in a role: membership is a relationship that
    opens the record to them, so it is audited, and one active period each keeps it clear."""
    if not worker.is_active:
        raise DomainError("That worker's account is not active", field="user_id")
    if _active_membership(person.id, worker.id) is not None:
        raise ConflictError(f"{worker.full_name} is already in the care team", field="user_id")
    check_grantor(actor=actor, person=person, grant="care_team", to_user_id=worker.id)
    membership = CareTeamMember(
        person_id=person.id, user_id=worker.id, role=role, assigned_by_id=actor.id
    )
    db.session.add(membership)
    _flush_care_team()
    audit.record(
        actor, "careteam.add_member", person=person, changes={"user_id": worker.id, "role": role}
    )
    return membership


def end_membership(*, actor: User, membership: CareTeamMember, reason: str) -> CareTeamMember:
    """End a worker's period in the care team, with the reason; the period stays in the
    history (who cared for the person, when) while their access to the record ends."""
    if not membership.is_active:
        raise DomainError("That period in the care team has already ended", field="id")
    membership.ended_at = utcnow()
    membership.end_reason = reason
    db.session.flush()
    audit.record(
        actor,
        "careteam.end_member",
        person_id=membership.person_id,
        reason=reason,
        changes={"membership_id": membership.id, "was_lead": membership.is_lead},
    )
    return membership


def hand_over_caseload(
    *, actor: User, leaving: User, to: User | None, reason: str
) -> list[CareTeamMember]:
    """A worker who leaves hands on every person they lead in one action: to one colleague,
    or each to whichever key worker in their team has the smallest caseload then."""
    if to is not None and to.id == leaving.id:
        raise DomainError("Choose someone else", field="to_user_id")
    leads = db.session.scalars(
        sa.select(CareTeamMember)
        .where(
            CareTeamMember.user_id == leaving.id,
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
        .order_by(CareTeamMember.id)
    ).all()
    handed = []
    for membership in leads:
        person = db.session.get(Person, membership.person_id)
        worker = to or _least_loaded(team_id=leaving.team_id, excluding=leaving.id)
        if worker is None:
            raise DomainError(
                "There is no other key worker in the team to take the caseload", field="to_user_id"
            )
        handed.append(
            assign_lead_key_worker(actor=actor, person=person, worker=worker, reason=reason)
        )
    others = db.session.scalars(
        sa.select(CareTeamMember).where(
            CareTeamMember.user_id == leaving.id, CareTeamMember.ended_at.is_(None)
        )
    ).all()
    for membership in others:
        end_membership(actor=actor, membership=membership, reason=reason)
    audit.record(
        actor,
        "careteam.hand_over_caseload",
        reason=reason,
        changes={"from": leaving.id, "to": to.id if to else "least loaded", "people": len(handed)},
    )
    return handed


def caseload_counts(user_ids: list[int]) -> dict[int, int]:
    """How many people each worker leads now (0 for none), in one query, so suggestions can
    share the work fairly without a query per worker."""
    rows = db.session.execute(
        sa.select(CareTeamMember.user_id, sa.func.count())
        .where(
            CareTeamMember.user_id.in_(user_ids),
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
        .group_by(CareTeamMember.user_id)
    ).all()
    counts = dict.fromkeys(user_ids, 0)
    counts.update({user_id: n for user_id, n in rows})
    return counts


def suggest_key_workers(*, service: Service) -> list[tuple[User, int]]:
    """Active key workers in the service's teams, smallest current caseload first, so the
    person allocating spreads the work rather than picking a familiar name."""
    workers = db.session.scalars(
        sa.select(User)
        .join(Team, User.team_id == Team.id)
        .where(
            Team.service_id == service.id, User.role == Role.KEY_WORKER, User.is_active.is_(True)
        )
        .order_by(User.full_name)
    ).all()
    counts = caseload_counts([w.id for w in workers])
    return sorted(
        ((w, counts[w.id]) for w in workers), key=lambda pair: (pair[1], pair[0].full_name)
    )


def _least_loaded(*, team_id: int, excluding: int) -> User | None:
    team = db.session.get(Team, team_id)
    for worker, _ in suggest_key_workers(service=team.service):
        if worker.id != excluding and worker.team_id == team_id:
            return worker
    return None


def _active_membership(person_id: int, user_id: int) -> CareTeamMember | None:
    return db.session.scalar(
        sa.select(CareTeamMember).where(
            CareTeamMember.person_id == person_id,
            CareTeamMember.user_id == user_id,
            CareTeamMember.ended_at.is_(None),
        )
    )


def allocate_on_accept(
    *, actor: User, person: Person, service: Service, worker_id: int | None
) -> CareTeamMember:
    """For services that allocate a key worker when they accept a referral (the rule says
    so): the person must not wait for a second decision. The one chosen, else the accepting
    key worker, else the smallest caseload."""
    if worker_id is not None:
        worker = db.session.get(User, worker_id)
        if worker is None or worker.team.service_id != service.id:
            raise DomainError(f"Choose a key worker from {service.name}", field="key_worker_id")
    elif actor.role == Role.KEY_WORKER and actor.team.service_id == service.id:
        worker = actor
    else:
        suggestions = suggest_key_workers(service=service)
        if not suggestions:
            raise DomainError(
                f"{service.name} has no key worker to allocate", field="key_worker_id"
            )
        worker = suggestions[0][0]
    current = active_lead(person.id)
    if current is not None and current.user_id == worker.id:
        return current
    return assign_lead_key_worker(
        actor=actor,
        person=person,
        worker=worker,
        reason=f"allocated on accepting a referral to {service.name}",
    )
