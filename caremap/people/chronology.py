"""The person's single chronology: everything recorded, from every service, in time order.

Each domain registers a provider of entries; this module only merges them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.extensions import db
from caremap.people.models import ConsentRecord, Person, RelatedPerson, StoryVersion


@dataclass(frozen=True)
class ChronologyEntry:
    at: dt.datetime
    kind: str
    title: str
    detail: str | None = None
    by: str | None = None
    strand: str | None = None  # the strand of the service it came from, for filtering


ChronologyProvider = Callable[[list[int]], list[ChronologyEntry]]
_providers: list[ChronologyProvider] = []


def chronology_provider(provider: ChronologyProvider) -> ChronologyProvider:
    _providers.append(provider)
    return provider


def chronology(person: Person, *, strand: str | None = None) -> list[ChronologyEntry]:
    """Everything recorded about the person (and records merged into it), newest first."""
    from caremap.audit.queries import record_ids

    ids = record_ids(person)
    entries = [entry for provider in _providers for entry in provider(ids)]
    if strand:
        entries = [entry for entry in entries if entry.strand == strand]
    return sorted(entries, key=lambda e: e.at, reverse=True)


@chronology_provider
def _story_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.scalars(sa.select(StoryVersion).where(StoryVersion.person_id.in_(person_ids)))
    return [
        ChronologyEntry(
            s.recorded_at, "story", "My story updated", s.text[:200], s.recorded_by.full_name
        )
        for s in rows
    ]


@chronology_provider
def _consent_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.person_id.in_(person_ids))
    )
    return [
        ChronologyEntry(
            c.recorded_at,
            "consent",
            f"Information-sharing consent {c.status.value}",
            c.note,
            c.recorded_by.full_name,
        )
        for c in rows
    ]


@chronology_provider
def _related_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.scalars(
        sa.select(RelatedPerson).where(RelatedPerson.person_id.in_(person_ids))
    )
    entries = []
    for r in rows:
        roles = " and ".join(
            x for x, on in (("carer", r.is_carer), ("next of kin", r.is_next_of_kin)) if on
        )
        entries.append(
            ChronologyEntry(
                r.created_at, "carer", f"{r.name} ({r.relationship_to_person}) added as {roles}"
            )
        )
    return entries


_RECORD_EVENTS = {
    "people.register": "Record registered",
    "people.update_identity": "Identity details changed",
    "people.merge": "Another record merged into this one",
    "people.unmerge": "A merge was reversed",
}


@chronology_provider
def _record_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    rows = db.session.scalars(
        sa.select(AuditEvent).where(
            AuditEvent.person_id.in_(person_ids), AuditEvent.action.in_(list(_RECORD_EVENTS))
        )
    )
    entries = []
    for event in rows:
        detail = None
        if event.action == "people.update_identity" and event.changes:
            detail = "Changed: " + ", ".join(k.replace("_", " ") for k in event.changes)
        elif event.reason:
            detail = event.reason
        by = event.actor.full_name if event.actor else "system"
        entries.append(
            ChronologyEntry(event.at, "record", _RECORD_EVENTS[event.action], detail, by)
        )
    return entries
