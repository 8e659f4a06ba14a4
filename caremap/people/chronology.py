"""The person's single chronology: everything recorded, from every service, in time order.

Each domain registers a provider of entries; this module only merges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import flask
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.auth.models import User
from caremap.core import registry
from caremap.core.extensions import db
from caremap.people.models import ConsentRecord, Person, RelatedPerson, StoryVersion
from caremap.people.queries import record_ids


@dataclass(frozen=True)
class ChronologyEntry:
    at: dt.datetime
    kind: str
    title: str
    detail: str | None = None
    by: str | None = None
    strand: str | None = None  # the strand of the service it came from, for filtering


ChronologyProvider = Callable[[list[int]], list[ChronologyEntry]]


def add_chronology_provider(app: flask.Flask, provider: ChronologyProvider) -> None:
    """Called by each domain's `register(app)` for the entries it keeps."""
    registry.add(app, "chronology_providers", provider)


def chronology(
    person: Person, *, strand: str | None = None, ids: list[int] | None = None
) -> list[ChronologyEntry]:
    """Everything recorded about the person (and records merged into it), newest first.

    A fixed number of queries however long the history: each provider reads all its
    entries at once, with whatever they show (actors, services, strands) joined.
    `ids` saves a query when the caller has the record ids already.
    """
    ids = ids if ids is not None else record_ids(person)
    providers = registry.items("chronology_providers")
    entries = [entry for provider in providers for entry in provider(ids)]
    if strand:
        entries = [entry for entry in entries if entry.strand == strand]
    return sorted(entries, key=lambda e: e.at, reverse=True)


# Providers select the columns an entry shows (names joined in), not whole objects: a
# history of 500 entries is then one plain row per entry, with no objects to build.


def _story_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            StoryVersion.recorded_at, sa.func.substr(StoryVersion.text, 1, 200), User.full_name
        )
        .join(User, User.id == StoryVersion.recorded_by_id)
        .where(StoryVersion.person_id.in_(person_ids))
    )
    return [ChronologyEntry(at, "story", "My story updated", text, by) for at, text, by in rows]


def _consent_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            ConsentRecord.recorded_at, ConsentRecord.status, ConsentRecord.note, User.full_name
        )
        .join(User, User.id == ConsentRecord.recorded_by_id)
        .where(ConsentRecord.person_id.in_(person_ids))
    )
    return [
        ChronologyEntry(at, "consent", f"Information-sharing consent {status.value}", note, by)
        for at, status, note, by in rows
    ]


def _related_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            RelatedPerson.created_at,
            RelatedPerson.name,
            RelatedPerson.relationship_to_person,
            RelatedPerson.is_carer,
            RelatedPerson.is_next_of_kin,
        ).where(RelatedPerson.person_id.in_(person_ids))
    )
    entries = []
    for at, name, relationship, is_carer, is_next_of_kin in rows:
        roles = " and ".join(
            x for x, on in (("carer", is_carer), ("next of kin", is_next_of_kin)) if on
        )
        entries.append(ChronologyEntry(at, "carer", f"{name} ({relationship}) added as {roles}"))
    return entries


_RECORD_EVENTS = {
    "people.register": "Record registered",
    "people.update_identity": "Identity details changed",
    "people.merge": "Another record merged into this one",
    "people.unmerge": "A merge was reversed",
}


def _record_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.execute(
        sa.select(
            AuditEvent.at, AuditEvent.action, AuditEvent.changes, AuditEvent.reason, User.full_name
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.person_id.in_(person_ids), AuditEvent.action.in_(list(_RECORD_EVENTS)))
    )
    entries = []
    for at, action, changes, reason, actor in rows:
        detail = None
        if action == "people.update_identity" and changes:
            detail = "Changed: " + ", ".join(k.replace("_", " ") for k in changes)
        elif reason:
            detail = reason
        entries.append(
            ChronologyEntry(at, "record", _RECORD_EVENTS[action], detail, actor or "system")
        )
    return entries


# The record's own entries, added by people's register(app) before other domains add theirs.
OWN_ENTRIES = (_story_entries, _consent_entries, _related_entries, _record_entries)
