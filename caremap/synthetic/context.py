"""What every phase of the city is given, and the reference data it is built on.

A phase is a function `phase(ctx, …what earlier phases returned…) -> its own result`.
The context holds only what does not change while the city is made (the one random
generator, the writer, the calibration, the dates, the catalogue); everything a phase
learns is returned in a dataclass and handed on explicitly, so `generate_city` shows
which phase needs which.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand, Team
from caremap.people.models import Person
from caremap.routing.engine import RuleView
from caremap.synthetic.draws import rand_day
from caremap.synthetic.writer import BulkWriter

Progress = Callable[[str, int, int], None]


class CityError(Exception):
    """The city cannot be generated here (no reference data, people already present …)."""


@dataclass(frozen=True)
class Reference:
    """The catalogue and rules already in the database that generated rows point at."""

    services: dict[str, int]  # service code -> id (active or not)
    service_names: dict[str, str]  # active services only, as below
    strands: dict[str, list[str]]  # strand code -> its active service codes
    service_strand: dict[str, str]
    team_ids: dict[str, int]
    service_teams: dict[str, list[str]]  # service code -> its active team codes, by code
    rules: list[RuleView]
    # NHS numbers in the synthetic range that records already here hold: never reused.
    taken_nhs: frozenset[str]
    response_hours: dict[str, float]

    def team_for(self, service: str, area: int) -> str:
        """The service's team for a person in the area (teams split Plymouth, the first
        area of populations.json, from the rest)."""
        codes = self.service_teams[service]
        if len(codes) == 1:
            return codes[0]
        plymouth = [c for c in codes if c.endswith("plymouth")]
        others = [c for c in codes if not c.endswith("plymouth")]
        if area == 0 and plymouth:
            return plymouth[0]
        return (others or codes)[0]


def read_reference(
    connection: sa.Connection, rules: list[RuleView], response_hours: dict[str, float]
) -> Reference:
    """Read the reference data once, up front, so a missing catalogue stops the city
    before a single row is written."""
    taken = frozenset(
        connection.execute(
            sa.select(Person.nhs_number).where(Person.nhs_number.like("999%"))
        ).scalars()
    )
    services = {code: sid for code, sid in connection.execute(sa.select(Service.code, Service.id))}
    teams = connection.execute(
        sa.select(Team.code, Team.id, Service.code)
        .join(Service, Team.service_id == Service.id)
        .where(Team.is_active.is_(True))
        .order_by(Team.code)
    ).all()
    if not services or not teams or not rules:
        raise CityError(
            "The reference data is missing: run `caremap seed reference` first "
            "(services, teams and routing rules)."
        )
    service_teams: dict[str, list[str]] = {}
    for code, _tid, service in teams:
        service_teams.setdefault(service, []).append(code)
    active = connection.execute(
        sa.select(Service.code, Service.name, Strand.code)
        .join(Strand, Service.strand_id == Strand.id)
        .where(Service.is_active.is_(True))
        .order_by(Service.code)
    ).all()
    strands: dict[str, list[str]] = {}
    for code, _, strand in active:
        strands.setdefault(strand, []).append(code)
    return Reference(
        services=services,
        service_names={code: name for code, name, _ in active},
        strands=strands,
        service_strand={code: strand for code, _, strand in active},
        team_ids={code: tid for code, tid, _ in teams},
        service_teams=service_teams,
        rules=rules,
        taken_nhs=taken,
        response_hours=response_hours,
    )


@dataclass(frozen=True)
class CityContext:
    """Passed to every phase, so a phase's signature shows all it reads."""

    rng: random.Random
    writer: BulkWriter
    calibration: dict[str, Any]  # seed/calibration.json: the rates the city is held to
    lookups: dict[str, Any]  # seed/synthetic_city.json: places, medicines, reasons
    areas: list[dict[str, Any]]  # seed/populations.json: the pyramid, by area
    reference: Reference
    people: int
    years: int
    seed: int
    start: dt.date  # the first day of the history
    end: dt.date  # its last day
    now: dt.datetime  # the moment the history stops: nothing is dated after it
    progress: Progress

    @property
    def scale(self) -> float:
        """City-wide counts in the calibration are for the whole city: scale them down."""
        return self.people / self.calibration["scale"]["city_population"]

    def rand_day(self, first: dt.date, last: dt.date) -> dt.date:
        """A day from first to last inclusive, from the city's one generator."""
        return rand_day(self.rng, first, last)

    def year_window(self, y: int) -> tuple[dt.date, dt.date]:
        """Year y of the history as 365 days (leap days ignored: rates are per year)."""
        first = self.start + dt.timedelta(days=365 * y)
        return first, first + dt.timedelta(days=364)
