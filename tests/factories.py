"""Small factories for tests: `make_*` functions that return flushed objects.

Each one goes through the real operation where there is one (a referral is submitted
and routed by the rules, an episode is begun from an accepted referral), so what they
build is valid by the same rules production applies, and stays valid as those change.
Call them inside an app context (the `ctx` fixture); they flush and never commit, so
the test's transaction rolls everything back.

    person = make_person(date_of_birth="1941-02-11")
    referral = make_referral(person, needs=["hospital_discharge"])
    episode = make_episode(referral)          # accepted, then begun: reablement, day 91

Imports of the domains sit inside the functions while the domains are being moved: a
moved module then fails the tests that use it, not the collection of the whole suite.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import itertools
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db

PASSWORD = "correct-horse-battery-staple"
# Old enough for the reablement rule (65 and over after a discharge).
OLDER_PERSON_BORN = "1941-02-11"

_numbers = itertools.count()


def unique() -> int:
    return next(_numbers)


def letters(n: int) -> str:
    """0 → a, 25 → z, 26 → aa: distinct surnames that the name search treats as words."""
    text = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        text = chr(97 + r) + text
    return text


def valid_nhs_number(seed: int) -> str:
    """A synthetic-range (999) NHS number with a correct Modulus 11 check digit."""
    n = seed
    while True:
        body = f"999{n % 1_000_000:06d}"
        total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
        check = 11 - total % 11
        check = 0 if check == 11 else check
        if check != 10:
            return body + str(check)
        n += 1


def operation(name: str, *modules: str):
    """An operation by name from the first module that has it (domains are moving)."""
    for module in modules:
        try:
            found = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if found is not None:
            return found
    raise LookupError(f"no operation {name} in {', '.join(modules)}")


# --- people and staff ---------------------------------------------------------------


def staff(role: str):
    """The user made for `role` when the test database was set up (tests/conftest.py)."""
    from caremap.auth.models import User

    return db.session.scalar(sa.select(User).where(User.email == f"{role}@test.example"))


def make_user(
    *,
    role: str = "key_worker",
    team: str = "complex-needs-hub",
    email: str | None = None,
    full_name: str | None = None,
    team_lead: bool = False,
    password: str = PASSWORD,
):
    """A new staff user (the same address again returns the one already made)."""
    from caremap.auth.models import User
    from caremap.auth.operations import create_user

    email = email or f"{role}-{team}-{unique()}@test.example"
    existing = db.session.scalar(sa.select(User).where(User.email == email))
    if existing is not None:
        return existing
    user = create_user(
        actor=None,
        email=email,
        full_name=full_name or email.split("@")[0].replace("-", " ").title(),
        role=role,
        team=team,
        password=password,
    )
    user.is_team_lead = team_lead
    db.session.flush()
    return user


def make_token(user, name: str = "tests") -> str:
    """A personal API token for the user; returns the secret to send."""
    from caremap.auth.operations import create_api_token

    return create_api_token(user=user, name=name)[1]


def worker_for(service, *, role: str = "key_worker"):
    """A worker in the first team of a service (made once per service and role)."""
    from caremap.worktasks.operations import team_for_service

    team = team_for_service(service)
    return make_user(role=role, team=team.code, email=f"{role}-{team.code}@test.example")


def make_person(*, actor=None, **details: Any):
    """Register a person through people.operations.register_person (flushed)."""
    from caremap.people import operations
    from caremap.people.schemas import RegisterPersonArgs

    n = unique()
    data = {
        "given_name": "Alex",
        "family_name": f"Testperson{letters(n)}",
        "date_of_birth": "1950-03-07",
        "postcode": "PL4 6AB",
        "confirm_no_duplicate": True,
        **details,
    }
    return operations.register_person(
        actor=actor or staff("practitioner"), details=RegisterPersonArgs().load(data)
    )


# --- referrals, episodes, tasks -----------------------------------------------------


def referral_body(person_id: int, **overrides: Any) -> dict[str, Any]:
    """A valid referral as the API and form take it (JSON types)."""
    return {
        "person_id": person_id,
        "source": "hospital",
        "referrer_name": "Ward 7",
        "referrer_organisation": "Derriford Hospital",
        "referrer_contact": "ward7@nhs.example",
        "needs": ["hospital_discharge"],
        "details": "Home after a fall.",
        "urgency": "urgent",
        "consent_to_share": True,
        **overrides,
    }


def submit(person=None, *, actor=None, idempotency_key: str | None = None, **overrides: Any):
    """Submit a referral through referrals.operations.submit_referral (routed by the rules).

    Returns (submission, created)."""
    from caremap.referrals.operations import submit_referral
    from caremap.referrals.schemas import ReferralArgs

    person = person or make_person(date_of_birth=OLDER_PERSON_BORN)
    args = ReferralArgs().load(referral_body(person.id, **overrides))
    return submit_referral(
        actor=actor or staff("practitioner"),
        person=person,
        args=args,
        idempotency_key=idempotency_key,
    )


def make_referrals(person=None, *, actor=None, **overrides: Any) -> list:
    """Every referral one submission made (one per service the rules chose)."""
    submission, _ = submit(person, actor=actor, **overrides)
    return sorted(submission.referrals, key=lambda r: r.id)


def make_referral(person=None, *, actor=None, **overrides: Any):
    """One routed referral; by default an 85-year-old's hospital discharge (reablement)."""
    referrals = make_referrals(person, actor=actor, **overrides)
    assert len(referrals) == 1, [r.service.code for r in referrals]
    return referrals[0]


def accept(referral, *, actor=None, **kwargs: Any):
    from caremap.referrals.operations import accept_referral

    return accept_referral(
        actor=actor or worker_for(referral.service),
        referral=referral,
        version=referral.version,
        **kwargs,
    )


def make_episode(
    referral=None,
    *,
    actor=None,
    started_on: dt.date | None = None,
    discharged_on: dt.date | None = None,
    **details: Any,
):
    """An episode begun from an accepted referral (accepting it first if it is routed).

    By default: reablement for an 85-year-old discharged ten days ago, so the day-91
    follow-up is set and its task open."""
    from caremap.referrals.enums import ReferralStatus
    from caremap.referrals.operations import begin_episode

    referral = referral or make_referral()
    actor = actor or worker_for(referral.service)
    if referral.status == ReferralStatus.ROUTED:
        accept(referral, actor=actor)
    started_on = started_on or dt.date.today() - dt.timedelta(days=10)
    if discharged_on is None and referral.service.code == "reablement":
        discharged_on = started_on
    if discharged_on is not None:
        details["discharged_on"] = discharged_on
    return begin_episode(
        actor=actor, referral=referral, details={"started_on": started_on, **details}
    )


def make_task(
    person,
    *,
    actor=None,
    kind: Any = None,
    title: str = "Ring the person back",
    due_on: dt.date | None = None,
    owner_user=None,
    owner_team=None,
    **links: Any,
):
    """A task through worktasks.operations.create_task; owned by the actor's team unless
    an owner is given."""
    from caremap.worktasks.enums import TaskKind
    from caremap.worktasks.operations import create_task

    actor = actor or staff("key_worker")
    if owner_user is None and owner_team is None:
        owner_team = actor.team
    return create_task(
        actor=actor,
        person_id=person.id,
        kind=kind or TaskKind.OTHER,
        title=title,
        due_on=due_on or dt.date.today() + dt.timedelta(days=7),
        owner_user=owner_user,
        owner_team=owner_team,
        **links,
    )


def open_tasks(**where: Any) -> list:
    """Open tasks matching the columns given (person_id=…, referral_id=…, kind=…)."""
    from caremap.worktasks.enums import TaskStatus
    from caremap.worktasks.models import Task

    stmt = sa.select(Task).where(Task.status == TaskStatus.OPEN).order_by(Task.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(Task, key) == value)
    return list(db.session.scalars(stmt))


# --- care team, break-glass, safeguarding, medicines ---------------------------------


def add_to_care_team(person, worker, *, actor=None, role: str = "GP"):
    from caremap.careteam.operations import add_member

    return add_member(actor=actor or staff("admin"), person=person, worker=worker, role=role)


def make_lead_key_worker(person, worker, *, actor=None):
    from caremap.careteam.operations import assign_lead_key_worker

    return assign_lead_key_worker(actor=actor or staff("admin"), person=person, worker=worker)


def make_break_glass(person, user, *, reason: str = "Collapsed in ED, need history"):
    break_glass = operation(
        "break_glass", "caremap.access.operations", "caremap.careteam.operations"
    )
    return break_glass(actor=user, person=person, reason=reason)


def concern_details(**overrides: Any) -> dict[str, Any]:
    return {
        "categories": ["neglect_and_acts_of_omission"],
        "what_happened": "Left without meals for days",
        "risk_location": "own_home",
        "risk_source": "known_to_the_person",
        "immediate_actions": "Brought food",
        "person_wishes": "To be looked after at home",
        "needs_advocate": False,
        "capacity": "not_assessed",
        **overrides,
    }


def make_concern(person, *, actor=None, **overrides: Any):
    """A safeguarding concern through safeguarding.operations.raise_concern."""
    from caremap.safeguarding.operations import raise_concern
    from caremap.safeguarding.schemas import RaiseConcernArgs

    return raise_concern(
        actor=actor or staff("practitioner"),
        person=person,
        details=RaiseConcernArgs().load(concern_details(**overrides)),
    )


def make_enquiry(concern, *, lead=None):
    """Take and triage a concern to a section 42 enquiry; returns the enquiry."""
    from caremap.safeguarding.enums import TriageDecision
    from caremap.safeguarding.operations import take_concern, triage_concern

    lead = lead or staff("safeguarding_lead")
    take_concern(actor=lead, concern=concern, version=concern.version)
    triage_concern(
        actor=lead,
        concern=concern,
        version=concern.version,
        test_care_and_support_needs=True,
        test_abuse_or_neglect=True,
        test_unable_to_protect_self=True,
        decision=TriageDecision.SECTION_42_ENQUIRY,
    )
    from caremap.safeguarding.models import Enquiry

    return db.session.scalar(sa.select(Enquiry).where(Enquiry.concern_id == concern.id))


def make_medicine(person, *, actor=None, **overrides: Any):
    from caremap.medicines.operations import record_medicine
    from caremap.medicines.schemas import MedicineArgs

    data = {
        "name": "Paracetamol",
        "dose": "1 g",
        "route": "oral",
        "frequency": "four times a day",
        "started_on": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
        "source": "gp_record",
        **overrides,
    }
    return record_medicine(
        actor=actor or staff("practitioner"), person=person, details=MedicineArgs().load(data)
    )


# --- the audit trail ----------------------------------------------------------------


def audit_actions(*, since: int = 0, **where: Any) -> list[str]:
    """The actions of the audit rows matching the columns given (and newer than the row
    id `since`, from last_audit_id()), oldest first."""
    from caremap.audit.models import AuditEvent

    stmt = sa.select(AuditEvent.action).where(AuditEvent.id > since).order_by(AuditEvent.id)
    for key, value in where.items():
        stmt = stmt.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(stmt))


def last_audit_id() -> int:
    from caremap.audit.models import AuditEvent

    return db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0


# --- checking refusals --------------------------------------------------------------


@contextlib.contextmanager
def refused(error: type[Exception] | None = None, *, field: str | None = None):
    """Expect the operation run inside to raise `error` (a DomainError by default) naming
    `field`. Like a request, whatever it wrote before raising is rolled back."""
    from caremap.core.errors import DomainError

    with pytest.raises(error or DomainError) as caught, db.session.begin_nested():
        yield caught
    if field is not None:
        assert getattr(caught.value, "field", None) == field, caught.value
