"""Loading seed/ files: the catalogue (reference data) and the demo staff and people."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.auth.operations import create_user, team_by_code
from caremap.catalogue.operations import load_catalogue, load_needs
from caremap.core.extensions import db
from caremap.core.seeds import SEED_DIR, read_seed
from caremap.indicators.populations import load_populations
from caremap.people import operations
from caremap.people.models import Person
from caremap.people.schemas import ConsentArgs, RegisterPersonArgs, RelatedPersonArgs, StoryArgs
from caremap.routing.operations import load_rule_set


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
