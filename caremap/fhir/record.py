"""Everything caremap holds about one person, as FHIR resources, within what the caller may
be given: the read side of Patient/$everything.

Access to the person was decided by people.loader.load_person before this runs. What is
left to decide here is the person's information-sharing consent: while a refusal (or a
withdrawal) is in force, the caller gets only what their own relationship rests on —
the work of their own service, the medicines and care packages their team recorded,
their team's places in the care team — and the Patient, its Consent and its flags. Break-glass (an
emergency, the person's vital interests) gives the whole record, as the pages do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.careteam import queries as careteam_queries
from caremap.careteam.models import CareTeamMember
from caremap.core.clock import today
from caremap.core.extensions import db
from caremap.episodes import queries as episodes_queries
from caremap.episodes.models import Episode
from caremap.fhir import patient as patients
from caremap.fhir import resources
from caremap.flags import flags_for
from caremap.longterm import queries as longterm_queries
from caremap.longterm.models import CarePackage
from caremap.medicines import queries as medicines_queries
from caremap.people import queries as people_queries
from caremap.people.enums import ConsentStatus
from caremap.people.loader import LoadedPerson
from caremap.people.models import ConsentRecord, Person, PersonIdentifier
from caremap.referrals import queries as referrals_queries

# Flags an external system is given. The safeguarding history flag (a concern that was
# once open) is left out: outside caremap only an open concern is said to exist.
WITHHELD_FLAGS = frozenset({"safeguarding_history"})


@dataclass(frozen=True)
class Entry:
    """One resource of the record, with the care dates $everything's start/end filter on
    (None: the resource has none, and is always in) and its last change (for _since)."""

    resource: dict[str, Any]
    care_start: dt.date | None = None
    care_end: dt.date | None = None

    @property
    def type(self) -> str:
        return self.resource["resourceType"]

    @property
    def last_updated(self) -> str | None:
        return self.resource.get("meta", {}).get("lastUpdated")


@dataclass(frozen=True)
class Record:
    entries: list[Entry]
    # The refusal or withdrawal in force, when it limited what was given.
    limited_by: ConsentRecord | None


def merged_into(person: Person) -> list[Person]:
    """The records merged into this one (Patient.link 'replaces')."""
    return list(
        db.session.scalars(
            sa.select(Person).where(Person.merged_into_id == person.id).order_by(Person.id)
        )
    )


def source_identifiers(person: Person) -> list[tuple[str, str]]:
    """The person's identifiers in the systems their record was imported from."""
    rows = db.session.execute(
        sa.select(PersonIdentifier.system, PersonIdentifier.value)
        .where(PersonIdentifier.person_id == person.id)
        .order_by(PersonIdentifier.id)
    )
    return [(system, value) for system, value in rows]


def patient_resource(person: Person) -> dict[str, Any]:
    return patients.patient(
        person, replaces=merged_into(person), source_identifiers=source_identifiers(person)
    )


def _lead_during(
    members: list[CareTeamMember], episode: Episode | CarePackage
) -> CareTeamMember | None:
    """The lead key worker while the episode ran (on its last day, or today if open)."""
    on = episode.ended_on or today()
    leads = [
        m
        for m in members
        if m.is_lead
        and m.started_at.date() <= on
        and (m.ended_at is None or m.ended_at.date() >= on)
    ]
    return max(leads, key=lambda m: m.started_at, default=None)


def person_record(loaded: LoadedPerson, *, user: User) -> Record:
    """The Patient and every resource of its compartment caremap holds, in a fixed number
    of queries (one a kind of row), limited by a refusal of consent in force."""
    person = loaded.person
    consents = people_queries.consent_history(person)  # newest (in force) first
    in_force = consents[0] if consents else None
    limited = (
        in_force is not None
        and in_force.status != ConsentStatus.GIVEN
        and loaded.decision.because != "break_glass"
    )
    own_service_id = user.team.service_id
    members = careteam_queries.care_team(person.id, include_ended=True)
    episodes = episodes_queries.person_episodes([person.id])
    referrals = referrals_queries.person_referrals([person.id])
    medicines = medicines_queries.medicines_of(person.id)
    # A package made from an episode is that episode: it is sent once, as the episode.
    packages = [p for p in longterm_queries.packages_of([person.id]) if p.episode_id is None]
    if limited:
        members = [m for m in members if m.user.team_id == user.team_id]
        episodes = [e for e in episodes if e.service_id == own_service_id]
        referrals = [r for r in referrals if r.service_id == own_service_id]
        medicines = [m for m in medicines if m.recorded_by.team_id == user.team_id]
        packages = [p for p in packages if p.recorded_by.team_id == user.team_id]

    entries = [Entry(patient_resource(person))]
    entries += [
        Entry(
            resources.consent(record, person, in_force=record is in_force),
            record.decided_on,
            record.decided_on,
        )
        for record in consents
    ]
    entries += [
        Entry(resources.flag(found, person), found.since, None)
        for found in flags_for(person)
        if found.code not in WITHHELD_FLAGS
    ]
    if team := resources.care_team(members, person):
        entries.append(
            Entry(
                team,
                min(m.started_at.date() for m in members),
                None if team["status"] == "active" else max(m.ended_at.date() for m in members),
            )
        )
    if not limited:  # carers and next of kin are other people's details: shared by consent
        entries += [
            Entry(resources.related_person(related, person))
            for related in people_queries.related_people(person)
        ]
    for episode in sorted(episodes, key=lambda e: e.id):
        dates = (episode.started_on, episode.ended_on)
        entries.append(
            Entry(
                resources.episode_of_care(episode, person, _lead_during(members, episode)), *dates
            )
        )
        if resources.is_hospital_admission(episode):
            entries.append(Entry(resources.encounter(episode, person), *dates))
    entries += [
        Entry(
            resources.care_package(package, person, _lead_during(members, package)),
            package.started_on,
            package.ended_on,
        )
        for package in sorted(packages, key=lambda p: p.id)
    ]
    entries += [
        Entry(
            resources.service_request(referral, person),
            referral.received_at.date(),
            referral.received_at.date(),
        )
        for referral in sorted(referrals, key=lambda r: r.id)
    ]
    entries += [
        Entry(
            resources.medication_statement(medicine, person),
            medicine.started_on,
            medicine.stopped_on,
        )
        for medicine in sorted(medicines, key=lambda m: m.id)
    ]
    return Record(entries, in_force if limited else None)
