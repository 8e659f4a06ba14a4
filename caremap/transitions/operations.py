"""Who needs transition planning, their flag and task, and recording the plan's basis."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from caremap import audit
from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Team
from caremap.core import clock
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.people.enums import RecordStatus
from caremap.people.models import Person
from caremap.referrals.models import Referral
from caremap.transitions.models import TransitionBasis, TransitionPlan
from caremap.transitions.queries import plan_of
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.models import Task
from caremap.worktasks.operations import create_task

ADULT_AGE = 18


def start_age() -> relativedelta:
    """The age planning starts at (config, in months): early enough that adult services can
    be arranged before children's services stop at 18."""
    months = flask.current_app.config["TRANSITION_AGE_MONTHS"]
    return relativedelta(months=months)


def known_to_services():
    """People with a referral, an episode or a care team: only they have a service that must
    hand over, so only they need transition planning (a subquery, for set-based use)."""
    return sa.union(
        sa.select(Referral.person_id),
        sa.select(Episode.person_id),
        sa.select(CareTeamMember.person_id),
    ).subquery()


def is_known_to_services(person_id: Any) -> sa.ColumnElement[bool]:
    """Whether the person whose id is `person_id` (a column) has a referral, an episode or
    a care team: three index probes for one person, where the union above would read
    every referral, episode and care team member (412,705 rows at 454,500 people)."""
    return sa.or_(
        sa.exists().where(Referral.person_id == person_id),
        sa.exists().where(Episode.person_id == person_id),
        sa.exists().where(CareTeamMember.person_id == person_id),
    )


def due_for_planning(*, today: dt.date, person_ids: list[int] | None = None) -> list[Person]:
    """Young people known to services, past the transition age and not yet adults: the ones
    whose move to adult services must be planned now, or it will not be ready at 18."""
    known = known_to_services()
    stmt = sa.select(Person).where(
        Person.status == RecordStatus.LIVE,
        Person.date_of_death.is_(None),
        Person.date_of_birth <= today - start_age(),
        Person.date_of_birth > today - relativedelta(years=ADULT_AGE),
        Person.id.in_(sa.select(known.c.person_id)),
    )
    if person_ids is not None:
        stmt = stmt.where(Person.id.in_(person_ids))
    return list(db.session.scalars(stmt))


def ensure_transition_tasks(
    *, actor: User | None, today: dt.date | None = None, person_ids: list[int] | None = None
) -> int:
    """Open one transition planning task for each young person who has reached the age and
    never had one. Run daily (`caremap tasks daily`) and when a young person is referred."""
    today = today or clock.today()
    people = due_for_planning(today=today, person_ids=person_ids)
    if not people:
        return 0
    had = set(
        db.session.scalars(
            sa.select(Task.person_id).where(
                Task.kind == TaskKind.TRANSITION_PLAN, Task.person_id.in_([p.id for p in people])
            )
        )
    )
    created = 0
    for person in people:
        if person.id in had:
            continue
        create_task(
            actor=actor,
            person_id=person.id,
            kind=TaskKind.TRANSITION_PLAN,
            title="Plan the move to adult services",
            due_on=today + relativedelta(months=3),
            owner_team=_owner(person),
        )
        created += 1
    return created


def _owner(person: Person) -> Team:
    """The lead key worker's team, else the team that registered the person."""
    team_id = db.session.scalar(
        sa.select(User.team_id)
        .join(CareTeamMember, CareTeamMember.user_id == User.id)
        .where(
            CareTeamMember.person_id == person.id,
            CareTeamMember.is_lead.is_(True),
            CareTeamMember.ended_at.is_(None),
        )
    )
    return db.session.get(Team, team_id or person.registered_by_team_id)


def record_plan(*, actor: User, person: Person, details: dict[str, Any]) -> TransitionPlan:
    """Record the basis of support, because the law sets when the responsibility ends from
    it: 21 for a care leaver, 25 with special educational needs, else 18. The end date is
    derived here, never typed, so the flag and the plan cannot disagree."""
    basis = TransitionBasis(details["basis"])
    ends = person.date_of_birth + relativedelta(years=basis.ends_at_age)
    plan = plan_of(person.id)
    if plan is None:
        plan = TransitionPlan(person_id=person.id, recorded_by_id=actor.id)
        db.session.add(plan)
    plan.basis, plan.responsibility_ends_on, plan.notes = basis, ends, details.get("notes")
    plan.recorded_by_id = actor.id
    db.session.flush()
    audit.record(
        actor,
        "transitions.plan",
        person=person,
        changes={"basis": basis, "responsibility_ends_on": ends},
    )
    return plan
