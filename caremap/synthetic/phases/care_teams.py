"""Care teams: a lead key worker for people at the hub and in long-term home care, some
handed over once, and another worker beside the key worker for some at the hub."""

from __future__ import annotations

import datetime as dt

from caremap.cohorts.enums import Cohort
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import DAY, utc
from caremap.synthetic.phases.cohorts import Cohorts
from caremap.synthetic.records import Cast

HUB = "complex_needs_hub"
HOME_CARE = "home_care_long_term"
SECOND_WORKER_SERVICE = "substance_misuse_treatment"
# care_team_members.role is the worker's part in this person's care, in words
KEY_WORKER, PRACTITIONER = "key worker", "practitioner"
HANDOVER_REASON = "Handover: caseload rebalanced"


def _member(
    ctx: CityContext,
    cast: Cast,
    i: int,
    uid: int,
    role: str,
    lead: bool,
    started: dt.datetime,
    ended: dt.datetime | None = None,
    reason: str | None = None,
) -> None:
    ctx.writer.row(
        "care_team_members",
        id=ctx.writer.allocate("care_team_members"),
        person_id=cast.people.ids[i],
        user_id=uid,
        role=role,
        is_lead=lead,
        started_at=started,
        ended_at=ended,
        end_reason=reason,
        assigned_by_id=None,
        version=1 if ended is None else 2,
        created_at=started,
    )


def _leads(
    ctx: CityContext,
    cast: Cast,
    people: list[int],
    service: str,
    share: float,
    lead_team: dict[int, str],
) -> None:
    """One current lead per person (the database allows no more): a handover ends the
    first before the second starts."""
    r = ctx.rng
    for i in people:
        if r.random() >= share:
            continue
        started = utc(ctx.rand_day(ctx.start, ctx.end - DAY), 11 * 3600)
        team_code = cast.team_for(ctx, service, i)
        team = cast.staff.by_team[team_code]
        first = team[cast.people.ids[i] % len(team)]  # spread caseloads evenly
        if cast.hospital.deaths.get(i):
            continue
        lead_team[i] = team_code
        if r.random() < 0.2 and len(team) > 1:
            handover = started + (ctx.now - started) * r.uniform(0.2, 0.8)
            _member(ctx, cast, i, first, KEY_WORKER, True, started, handover, HANDOVER_REASON)
            second = team[(cast.people.ids[i] + 1) % len(team)]
            _member(ctx, cast, i, second, KEY_WORKER, True, handover)
        else:
            _member(ctx, cast, i, first, KEY_WORKER, True, started)


def form_care_teams(
    ctx: CityContext, cast: Cast, cohorts: Cohorts, hub_people: list[int], home_care: set[int]
) -> dict[int, str]:
    """Returns person -> the team of their lead key worker: the medicines phase sends a
    review task there rather than to the pharmacists."""
    r = ctx.rng
    lead_team: dict[int, str] = {}
    stable = [i for i in hub_people if cohorts.of[i] is Cohort.STABLE]
    active = [i for i in hub_people if cohorts.of[i] in (Cohort.CORE, Cohort.EDGE)]
    _leads(ctx, cast, active, HUB, 1.0, lead_team)
    _leads(ctx, cast, stable, HUB, 0.5, lead_team)
    _leads(ctx, cast, sorted(home_care), HOME_CARE, 0.7, lead_team)
    for i in active:
        if r.random() < 0.5 and not cast.hospital.deaths.get(i):
            started = utc(ctx.rand_day(ctx.start, ctx.end - DAY), 14 * 3600)
            worker = cast.worker(ctx, SECOND_WORKER_SERVICE, i)
            _member(ctx, cast, i, worker, PRACTITIONER, False, started)
    ctx.progress("care teams", 1, 1)
    return lead_team
