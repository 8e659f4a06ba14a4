"""Medicines: current and stopped medicines by age (polypharmacy at the calibrated
shares), and the review task the record opens at the polypharmacy threshold."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caremap.medicines.enums import MedicineSource, Route
from caremap.medicines.operations import REVIEW_DUE_DAYS
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import DAY, utc
from caremap.synthetic.records import Cast, Done, write_task
from caremap.worktasks.enums import TaskKind

GP_SERVICE = "gp_practices"
PHARMACIST_SERVICE = "pharmacist_medication_review"
REVIEW_DUE = dt.timedelta(days=REVIEW_DUE_DAYS)


@dataclass(frozen=True, slots=True)
class Medicine:
    name: str
    dose: str
    route: Route
    frequency: str


def _how_many(r, band: dict[str, float]) -> int:
    """0 for no medicines; otherwise a count within the band's polypharmacy shares."""
    u = r.random()
    if u < band["eight_plus"]:
        return r.randint(8, 12)
    if u < band["five_plus"]:
        return r.randint(5, 7)
    if u < band["any"]:
        return r.randint(1, 4)
    return 0


def prescribe(ctx: CityContext, cast: Cast, lead_team: dict[int, str]) -> None:
    """Stopped medicines are history beside the current ones; nobody takes anything after
    they died."""
    r, m = ctx.rng, ctx.calibration["medicines"]
    population, people = cast.population, cast.people
    medicines = [
        Medicine(x["name"], x["dose"], Route(x["route"]), x["frequency"])
        for x in ctx.lookups["medicines"]
    ]
    sources = [MedicineSource(x) for x in ctx.lookups["medicine_sources_in_turn"]]
    flag_at = m["polypharmacy_flag_at"]
    pharmacist_team = ctx.reference.team_for(PHARMACIST_SERVICE, 0)
    for i in range(ctx.people):
        age = population.age(i, ctx.end)
        band = next(
            b
            for b in m["by_age"]
            if age >= b["age_from"] and (b["age_to"] is None or age <= b["age_to"])
        )
        count = _how_many(r, band)
        if not count:
            continue
        died = cast.hospital.deaths.get(i)
        earliest = max(population.dob[i], ctx.start - dt.timedelta(days=365 * 3))
        recorder = r.choice(cast.staff.by_team[cast.team_for(ctx, GP_SERVICE, i)])
        picks = r.sample(range(len(medicines)), count)
        stopped_count = r.randint(1, 2) if r.random() < m["stopped_history_share"] else 0
        extra = [k for k in range(len(medicines)) if k not in picks]
        for n, k in enumerate(picks + r.sample(extra, stopped_count)):
            medicine = medicines[k]
            started = ctx.rand_day(earliest, ctx.end)
            stopped, reason = None, None
            if died is not None and started >= died:
                started = died - dt.timedelta(days=r.randint(1, 400))
            if n >= count:  # one of the stopped ones
                if started >= ctx.end:
                    started = ctx.end - DAY
                stopped = ctx.rand_day(started + DAY, ctx.end)
                reason = "Stopped at review"
            if died is not None and (stopped is None or stopped > died):
                stopped, reason = max(died, started + DAY), "Died"
            ctx.writer.row(
                "medicines",
                id=ctx.writer.allocate("medicines"),
                person_id=people.ids[i],
                name=medicine.name,
                dmd_code=None,
                dose=medicine.dose,
                route=medicine.route,
                frequency=medicine.frequency,
                started_on=started,
                stopped_on=stopped,
                stop_reason=reason,
                source=sources[n % len(sources)],
                recorded_by_id=recorder,
                version=1 if stopped is None else 2,
                created_at=utc(started, 13 * 3600),
            )
        if count >= flag_at and died is None:
            _review(ctx, cast, i, lead_team.get(i, pharmacist_team), pharmacist_team)
        if (i + 1) % 50000 == 0:
            ctx.progress("medicines", i + 1, ctx.people)
    ctx.progress("medicines", ctx.people, ctx.people)


def _review(ctx: CityContext, cast: Cast, i: int, team: str, pharmacist_team: str) -> None:
    """At the polypharmacy threshold the record opens a review task (for the lead key
    worker's team, else the pharmacists); a review in the last year closes it."""
    r, m = ctx.rng, ctx.calibration["medicines"]
    title = f"Medication review: {m['polypharmacy_flag_at']} or more medicines"
    if r.random() < m["reviewed_share_flagged"]:
        reviewed = ctx.rand_day(ctx.end - dt.timedelta(days=364), ctx.end)
        reviewer = r.choice(cast.staff.by_team[pharmacist_team])
        ctx.writer.row(
            "medication_reviews",
            id=ctx.writer.allocate("medication_reviews"),
            person_id=cast.people.ids[i],
            reviewed_on=reviewed,
            reviewed_by_id=reviewer,
            stopped=[],
            changes=None,
            outcome="Reviewed with the person; no changes needed",
            recorded_at=utc(reviewed, 15 * 3600),
        )
        opened = reviewed - dt.timedelta(days=r.randint(1, 27))
        done = Done(utc(reviewed, 15 * 3600), reviewer)
    else:
        opened = ctx.rand_day(ctx.end - dt.timedelta(days=60), ctx.end)
        done = None
    write_task(
        ctx,
        cast,
        i,
        TaskKind.MEDICATION_REVIEW,
        title,
        opened + REVIEW_DUE,
        team,
        created=utc(opened, 7 * 3600),
        done=done,
    )
