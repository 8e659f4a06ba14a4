"""related_person_ids (one query for a set of people) agrees with decide (one person).

People are built to meet each clause of `decide` for the key worker (and a few for the
practitioner), one each, plus the near misses (work closed, membership ended, glass
expired) and nobody at all; for every test role the set must be exactly the people
`decide` gives full access to.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.access.policy import Access, decide, related_person_ids
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service, Team
from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.worktasks.models import Task
from tests.conftest import ROLE_TEAMS, user
from tests.indicators.hand_counted import City

NOW = dt.datetime.now(dt.UTC)


def _team_id(code: str) -> int:
    return db.session.scalar(sa.select(Team.id).where(Team.code == code))


def _service_code(user_) -> str:
    return db.session.scalar(sa.select(Service.code).where(Service.id == user_.team.service_id))


@pytest.fixture
def people(ctx):
    city = City()
    kw, practitioner = user("key_worker"), user("practitioner")
    kw_service = _service_code(kw)
    other_team = _team_id(ROLE_TEAMS["admin"])

    def person(name, team_id=other_team):
        pid = city.person(name, dt.date(1950, 1, 1))
        db.session.get(Person, pid).registered_by_team_id = team_id
        return pid

    def member(pid, who, ended=False):
        db.session.add(
            CareTeamMember(
                person_id=pid,
                user_id=who.id,
                role="Worker",
                is_lead=False,
                started_at=NOW - dt.timedelta(days=30),
                ended_at=NOW - dt.timedelta(days=1) if ended else None,
                end_reason="Moved on" if ended else None,
            )
        )

    def task(pid, *, owner_user=None, owner_team=None, status="open", kind="other"):
        db.session.add(
            Task(
                person_id=pid,
                kind=kind,
                title="Call",
                due_on=dt.date.today(),
                owner_user_id=owner_user,
                owner_team_id=owner_team,
                status=status,
            )
        )

    def glass(pid, who, hours):
        db.session.add(
            BreakGlass(
                user_id=who.id,
                person_id=pid,
                reason="Emergency",
                started_at=NOW - dt.timedelta(hours=5),
                expires_at=NOW + dt.timedelta(hours=hours),
            )
        )

    ids = {}
    ids["care_team"] = person("careteam")
    member(ids["care_team"], kw)
    ids["care_team_ended"] = person("careteamended")
    member(ids["care_team_ended"], kw, ended=True)
    ids["open_referral"] = person("openreferral")
    city.referral(ids["open_referral"], kw_service, NOW, hours_due=48, status="accepted")
    ids["routed_referral"] = person("routedreferral")  # a request, not yet taken on
    city.referral(ids["routed_referral"], kw_service, NOW, hours_due=48, status="routed")
    ids["closed_referral"] = person("closedreferral")
    city.referral(ids["closed_referral"], kw_service, NOW, hours_due=48, status="declined")
    ids["open_episode"] = person("openepisode")
    city.episode(ids["open_episode"], kw_service, "general", dt.date(2025, 1, 1))
    ids["ended_episode"] = person("endedepisode")
    city.episode(
        ids["ended_episode"], kw_service, "general", dt.date(2025, 1, 1), ended_on=dt.date.today()
    )
    ids["task_mine"] = person("taskmine")
    task(ids["task_mine"], owner_user=kw.id)
    ids["task_team"] = person("taskteam")
    task(ids["task_team"], owner_team=kw.team_id)
    ids["response_task"] = person("responsetask")  # answering a referral opens nothing
    task(ids["response_task"], owner_team=kw.team_id, kind="referral_response")
    ids["task_done"] = person("taskdone")
    task(ids["task_done"], owner_user=kw.id, status="done")
    ids["registered"] = person("registered", team_id=kw.team_id)
    ids["glass"] = person("glass")
    glass(ids["glass"], practitioner, hours=2)
    ids["glass_expired"] = person("glassexpired")
    glass(ids["glass_expired"], practitioner, hours=-1)
    ids["practitioner_team"] = person("practitionerteam", team_id=practitioner.team_id)
    ids["nobody"] = person("nobody")
    db.session.flush()
    return ids


@pytest.mark.parametrize("role", sorted(ROLE_TEAMS))
def test_agrees_with_decide_for_every_role(people, role):
    viewer = user(role)
    expected = {
        pid
        for pid in people.values()
        if decide(viewer, db.session.get(Person, pid)).access == Access.FULL
    }
    assert related_person_ids(viewer, list(people.values())) == expected
    # the same given a SELECT of ids (an indicator's cohort) instead of a list
    select = sa.select(Person.id).where(Person.id.in_(list(people.values())))
    assert related_person_ids(viewer, select) == expected


def test_each_clause_counts_and_the_near_misses_do_not(people):
    related = related_person_ids(user("key_worker"), list(people.values()))
    names = {pid: name for name, pid in people.items()}
    assert sorted(names[pid] for pid in related) == sorted(
        ["care_team", "open_referral", "open_episode", "task_mine", "task_team", "registered"]
    )
    assert related_person_ids(user("practitioner"), list(people.values())) == {
        people["glass"],
        people["practitioner_team"],
    }
    assert related_person_ids(user("manager"), list(people.values())) == set()
    assert related_person_ids(user("admin"), list(people.values())) == set(people.values())
    assert related_person_ids(user("key_worker"), []) == set()
