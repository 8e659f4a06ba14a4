"""Loading seed/ files: the catalogue (reference data) and the demo staff and people."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.auth.operations import create_user, team_by_code
from caremap.careteam.operations import assign_lead_key_worker
from caremap.catalogue.operations import load_catalogue, load_needs
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.core.seeds import SEED_DIR, read_seed
from caremap.indicators.populations import load_populations
from caremap.longterm import operations as longterm
from caremap.longterm import schemas as longterm_args
from caremap.people import operations
from caremap.people.enums import RecordStatus
from caremap.people.models import Person
from caremap.people.schemas import ConsentArgs, RegisterPersonArgs, RelatedPersonArgs, StoryArgs
from caremap.referrals.operations import submit_referral
from caremap.referrals.schemas import ReferralArgs
from caremap.routing.operations import load_rule_set
from caremap.safeguarding.operations import raise_concern
from caremap.safeguarding.schemas import RaiseConcernArgs
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.operations import create_task


def seed_reference() -> dict[str, int]:
    """The catalogue, the coded needs, the routing rules and the areas with their
    populations (safe to repeat: rules that changed get a new version, unchanged ones
    are left alone; population figures an admin edited are kept)."""
    counts = load_catalogue(read_seed("catalogue.json"))
    counts["needs"] = load_needs(read_seed("needs.json"))
    counts["rules"] = len(load_rule_set(read_seed("routing_rules.json")))
    if (SEED_DIR / "populations.json").exists():
        counts.update(load_populations(read_seed("populations.json")))
    return counts


def seed_demo_users() -> list[tuple[str, str, str]]:
    """The demo staff; returns (role, email, password) for each, first of each role first."""
    data = read_seed("demo_users.json")
    created = []
    for item in data["users"]:
        email = item["email"].lower()
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            create_user(actor=None, password=data["password"], **item)
        created.append((item["role"], email, data["password"]))
    return created


def seed_demo_people() -> int:
    """The demo people, registered through the same operations and schemas as a worker would."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        return 0
    data = read_seed("demo_people.json")
    count = 0
    for item in data["people"]:
        item = dict(item)
        story, consent = item.pop("story", None), item.pop("consent", None)
        carers = item.pop("carers", [])
        team_code = item.pop("registered_by_team")
        registrar = _registrar_for(team_code)
        details = RegisterPersonArgs().load({**item, "confirm_no_duplicate": True})
        person = operations.register_person(actor=registrar, details=details)
        # The record belongs to the team named in the seed, whoever typed it in.
        person.registered_by_team_id = team_by_code(team_code).id
        if story:
            operations.add_story_version(
                actor=registrar, person=person, **StoryArgs().load({"text": story})
            )
        if consent:
            args = ConsentArgs().load(
                {"status": consent, "decided_on": person.created_at.date().isoformat()}
            )
            operations.record_consent(actor=registrar, person=person, **args)
        for carer in carers:
            operations.add_related_person(
                actor=registrar, person=person, details=RelatedPersonArgs().load(carer)
            )
        count += 1
    return count


def _registrar_for(team_code: str) -> User:
    """A demo user of the team, or else the first demo user."""
    team = team_by_code(team_code)
    user = db.session.scalar(sa.select(User).where(User.team_id == team.id).order_by(User.id))
    return user or db.session.scalar(sa.select(User).order_by(User.id))


def seed_demo_work() -> dict[str, int]:
    """Work for the staff the README's tour signs in as (seed/demo_work.json): Kim's
    caseload with due tasks, referrals waiting for Rhiannon's reablement team, concerns
    for Sam to triage, a medication review for the pharmacists. Made through the same
    operations a worker's pages call, so every row is audited as any other."""
    data = read_seed("demo_work.json")
    admin = _demo_admin()
    today = clock.today()
    counts = {"care_team": 0, "tasks": 0, "referrals": 0, "concerns": 0, "long_term_support": 0}
    for item in data["care_team"]:
        assign_lead_key_worker(
            actor=admin, person=_demo_person(item["person"]), worker=_staff(item["worker"])
        )
        counts["care_team"] += 1
    for item in data["tasks"]:
        create_task(
            actor=admin,
            person_id=_demo_person(item["person"]).id,
            kind=TaskKind(item.get("kind", "other")),
            title=item["title"],
            due_on=today + dt.timedelta(days=item["due_in_days"]),
            # A team owns each: a task for a named worker is a grant (access.operations.GRANTS)
            owner_team=team_by_code(item["owner_team"]),
        )
        counts["tasks"] += 1
    for item in data["referrals"]:
        referrer = _staff(item["by"])
        person = _demo_person(item["person"])
        args = ReferralArgs().load(
            {
                "person_id": person.id,
                "source": "hospital",
                "referrer_name": "Ward 7 discharge team",
                "referrer_organisation": "Derriford Hospital",
                "referrer_contact": "01752 000000",
                "needs": item["needs"],
                "details": item["details"],
                "urgency": item["urgency"],
                "consent_to_share": True,
                "received_at": (utcnow() - dt.timedelta(days=item["received_days_ago"]))
                .replace(microsecond=0)
                .isoformat(),
            }
        )
        submit_referral(actor=referrer, person=person, args=args)
        counts["referrals"] += 1
    for item in data["concerns"]:
        details = {k: v for k, v in item.items() if k not in ("person", "by")}
        details = {"needs_advocate": False, "capacity": "not_assessed", **details}
        raise_concern(
            actor=_staff(item["by"]),
            person=_demo_person(item["person"]),
            details=RaiseConcernArgs().load(details),
        )
        counts["concerns"] += 1
    for item in data.get("long_term_support", []):
        _demo_long_term_support(item, today)
        counts["long_term_support"] += 1
    return counts


def _days_ago(details: dict, today: dt.date) -> dict:
    """A demo event's "…_days_ago" counts as the dates the Args take."""
    out = {}
    for key, value in details.items():
        if key.endswith("_days_ago"):
            out[key.removesuffix("_days_ago") + "_on"] = (
                today - dt.timedelta(days=value)
            ).isoformat()
        else:
            out[key] = value
    return out


def _demo_long_term_support(item: dict, today: dt.date) -> None:
    """A profile, the assessment, the care package it led to and its review, so the key
    worker's tour shows long-term support as CLD counts it."""
    actor, person = _staff(item["by"]), _demo_person(item["person"])
    longterm.save_profile(
        actor=actor, person=person, details=longterm_args.ProfileArgs().load(item["profile"])
    )
    assessment = longterm.record_assessment(
        actor=actor,
        person=person,
        details=longterm_args.RecordAssessmentArgs().load(_days_ago(item["assessment"], today)),
    )
    package = longterm.record_package(
        actor=actor,
        person=person,
        details=longterm_args.RecordPackageArgs().load(
            {**_days_ago(item["package"], today), "assessment_id": assessment.id}
        ),
    )
    longterm.record_review(
        actor=actor,
        person=person,
        details=longterm_args.RecordReviewArgs().load(
            {**_days_ago(item["review"], today), "care_package_id": package.id}
        ),
    )


def _staff(email: str) -> User:
    return db.session.scalars(sa.select(User).where(User.email == email)).one()


def _demo_admin() -> User:
    """The demo admin allocates the key workers, as an admin would."""
    users = read_seed("demo_users.json")["users"]
    return _staff(next(u["email"] for u in users if u["role"] == "admin"))


def _demo_person(nhs_number: str) -> Person:
    return db.session.scalars(
        sa.select(Person).where(Person.nhs_number == nhs_number, Person.status == RecordStatus.LIVE)
    ).one()
