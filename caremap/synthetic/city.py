"""The synthetic city: a reproducible population with years of history, written in bulk.

Everything is drawn from one random.Random(seed) (and Faker seeded from it) in a fixed
order, and dates are counted back from `end_on`, so the same arguments give the same
rows (tests/synthetic/test_same_rows.py holds them to recorded checksums). Rates and
counts come from seed/calibration.json (each with its source), the age pyramid and
areas from seed/populations.json, names of places, medicines and reasons from
seed/synthetic_city.json. Referrals are routed by the rules in force through the
routing engine's pure functions, so their decisions carry real explanations.

The order of work is the order of the phases below: first decide who everyone is and
what happens to them (in memory), then write staff, people and every history table
through BulkWriter (COPY on PostgreSQL). A phase gets what it needs from the phases
before it as arguments, so moving one above a phase it depends on cannot compile into
a silently different city; moving one that draws numbers changes the rows, and the
checksum test says so.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import time
from dataclasses import dataclass, field

import flask

from caremap.audit.operations import record
from caremap.core.extensions import db
from caremap.core.seeds import read_seed
from caremap.routing.operations import rules_in_force
from caremap.synthetic.context import CityContext, CityError, Progress, read_reference
from caremap.synthetic.draws import utc
from caremap.synthetic.phases.care_homes import place_in_care_homes
from caremap.synthetic.phases.care_teams import form_care_teams
from caremap.synthetic.phases.carers import record_carers
from caremap.synthetic.phases.cohorts import choose_cohorts, choose_home_care
from caremap.synthetic.phases.hospital import admit, reable
from caremap.synthetic.phases.long_term import refer_long_term_support
from caremap.synthetic.phases.long_term_support import record_long_term_support
from caremap.synthetic.phases.medicines import prescribe
from caremap.synthetic.phases.multiple_needs import assess_and_refer
from caremap.synthetic.phases.names import make_names
from caremap.synthetic.phases.people import PlantedDuplicate, plant_duplicates, write_people
from caremap.synthetic.phases.population import make_population
from caremap.synthetic.phases.referral_streams import (
    refer_by_rate,
    refer_discharges_under_65,
    refer_homelessness,
    refer_reablement,
)
from caremap.synthetic.phases.referrals import ReferralDesk
from caremap.synthetic.phases.safeguarding import raise_concerns
from caremap.synthetic.phases.staff import hire_staff
from caremap.synthetic.phases.stays import write_stays
from caremap.synthetic.records import Cast
from caremap.synthetic.writer import BulkWriter

__all__ = ["CityError", "CityReport", "PlantedDuplicate", "generate_city"]

REFERRAL_STEPS = 7


@dataclass
class CityReport:
    """What the command prints and the tests measure (the planted pairs are the truth a
    duplicate matcher is scored against)."""

    people: int
    rows: dict[str, int] = field(default_factory=dict)
    planted_duplicates: list[PlantedDuplicate] = field(default_factory=list)
    seconds: float = 0.0


def generate_city(
    *,
    people: int,
    years: int = 5,
    seed: int = 42,
    end_on: dt.date | None = None,
    duplicate_rate: float = 0.01,
    progress: Progress | None = None,
) -> CityReport:
    """Generate `people` people (plus planted duplicates) and `years` of history ending on
    `end_on`, through the current session's connection (the caller commits), so
    indicators, searches and benchmarks have a city-sized record to work on.

    Rows already in the database stay: new ids follow the highest ones. The command line
    refuses a database that has people; this function does not, so tests and benchmarks
    can add a city beside records of their own."""
    if people < 1:
        raise CityError("--people must be at least 1")
    if years < 1:
        raise CityError("--years must be at least 1")
    if not 0 <= duplicate_rate < 0.5:
        raise CityError("the duplicate rate must be between 0 and 0.5")
    started = time.perf_counter()
    # The city holds hundreds of thousands of long-lived decisions and row tuples (rows
    # carry enum members, so the collector cannot untrack them) and makes no reference
    # cycles of its own: the cyclic collector would only rescan them, a tenth of the
    # time of a city. Reference counting still frees everything as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _generate(people, years, seed, end_on or dt.date.today(), duplicate_rate, progress)
    finally:
        if collecting:
            gc.enable()
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def _generate(
    people: int,
    years: int,
    seed: int,
    end: dt.date,
    duplicate_rate: float,
    progress: Progress | None,
) -> CityReport:
    """The phases in order; see the module docstring."""
    connection = db.session.connection()
    reference = read_reference(
        connection, rules_in_force(), flask.current_app.config["RESPONSE_HOURS"]
    )
    ctx = CityContext(
        rng=random.Random(seed),
        writer=BulkWriter(connection),
        calibration=read_seed("calibration.json"),
        lookups=read_seed("synthetic_city.json"),
        areas=read_seed("populations.json")["areas"],
        reference=reference,
        people=people,
        years=years,
        seed=seed,
        start=end - dt.timedelta(days=365 * years - 1),
        end=end,
        now=utc(end, 17 * 3600),
        progress=progress or (lambda phase, done, total: None),
    )
    report = CityReport(people=people)

    # Who everyone is and what happens to them, in memory.
    names = make_names(ctx)
    population = make_population(ctx)
    admissions = admit(ctx, population)
    home_care = choose_home_care(ctx, population)
    hospital = reable(ctx, population, admissions, home_care)
    care_homes = place_in_care_homes(ctx, population, hospital)
    cohorts = choose_cohorts(ctx, population, home_care, care_homes)

    # The rows: staff and people first, since every later row names them.
    staff = hire_staff(ctx, names, cohorts, home_care)
    people_rows = write_people(ctx, names, population, staff, hospital)
    report.planted_duplicates = plant_duplicates(
        ctx, names, population, staff, people_rows, duplicate_rate
    )
    cast = Cast(
        names=names, population=population, people=people_rows, staff=staff, hospital=hospital
    )
    write_stays(ctx, cast, care_homes)

    desk = ReferralDesk(ctx, cast)
    refer_reablement(ctx, desk)
    ctx.progress("referrals", 1, REFERRAL_STEPS)
    refer_discharges_under_65(ctx, desk)
    ctx.progress("referrals", 2, REFERRAL_STEPS)
    refer_by_rate(ctx, desk, home_care)
    ctx.progress("referrals", 3, REFERRAL_STEPS)
    refer_homelessness(ctx, desk, cohorts)
    ctx.progress("referrals", 4, REFERRAL_STEPS)
    hub_people = assess_and_refer(ctx, desk, cohorts)
    ctx.progress("referrals", 5, REFERRAL_STEPS)
    refer_long_term_support(ctx, desk, home_care)
    ctx.progress("referrals", 6, REFERRAL_STEPS)
    ctx.progress("referrals", REFERRAL_STEPS, REFERRAL_STEPS)

    lead_team = form_care_teams(ctx, cast, cohorts, hub_people, home_care)
    record_carers(ctx, cast, home_care)
    raise_concerns(ctx, cast, cohorts, care_homes, home_care)
    prescribe(ctx, cast, lead_team)
    # last: it reads back the episodes and carers written above, and draws after them
    record_long_term_support(ctx)

    ctx.progress("writing", 0, 1)
    rows = ctx.writer.finish()
    ctx.progress("writing", 1, 1)
    record(
        None,
        "synthetic.city_generated",
        changes={
            "people": people,
            "years": years,
            "seed": seed,
            "end_on": end.isoformat(),
            "duplicate_rate": duplicate_rate,
            "rows": rows,
        },
        reason="caremap seed city",
    )
    db.session.flush()
    rows["audit_events"] = rows.get("audit_events", 0) + 1
    report.rows = rows
    return report
