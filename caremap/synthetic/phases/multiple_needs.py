"""Multiple needs: needs assessments (with the cohort the real rule derives) and
referrals to the complex needs hub, or to the one service a single need calls for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.cohorts.rules import derive_cohort
from caremap.episodes.enums import EpisodeKind, HomelessnessOutcome
from caremap.routing.enums import ReferralSource, Urgency
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import DAY, choice_weighted, utc
from caremap.synthetic.phases.cohorts import Cohorts
from caremap.synthetic.phases.referrals import EpisodePlan, ReferralDesk

HUB = "complex_needs_hub"
HOMELESSNESS_SERVICE = "homelessness_prevention"
E, St = Engagement, Stability
ANY_ENGAGEMENT = (E.ENGAGING, E.PARTLY_ENGAGING, E.NOT_ENGAGING)
SOME_ENGAGEMENT = (E.ENGAGING, E.PARTLY_ENGAGING)


def _how_many(r, cohort: Cohort | None) -> int:
    if cohort is None:
        return 1
    if cohort is Cohort.CORE:
        return r.choice((2, 3, 3, 4))
    return r.choice((2, 2, 3))


def _circumstances(r, cohort: Cohort | None, count: int) -> tuple[Stability, Engagement]:
    """Stability and engagement that fit the cohort the person was chosen for, so the
    real rule derives it back (the tests count cohorts by the derived value)."""
    if cohort is Cohort.CORE:
        if count < 3 or r.random() < 0.5:
            return St.CRISIS, r.choice(ANY_ENGAGEMENT)
        return r.choice((St.UNSTABLE, St.STABLE)), E.NOT_ENGAGING
    if cohort is Cohort.EDGE:
        return St.UNSTABLE, r.choice(SOME_ENGAGEMENT)
    if cohort is Cohort.STABLE:
        return St.STABLE, r.choice(SOME_ENGAGEMENT)
    return r.choice((St.STABLE, St.UNSTABLE)), r.choice(ANY_ENGAGEMENT)


def assess_and_refer(ctx: CityContext, desk: ReferralDesk, cohorts: Cohorts) -> list[int]:
    """Returns the people referred to the hub (two needs or more): the care-team phase
    gives them key workers."""
    r, cast = ctx.rng, desk.cast
    spec = ctx.lookups["multiple_needs"]
    services: dict[str, str] = spec["single_need_services"]
    domains_all = tuple(services)
    hub_people: list[int] = []
    for i in sorted(cohorts.of):
        cohort = cohorts.of[i]
        count = _how_many(r, cohort)
        domains = r.sample(domains_all, count)
        stability, engagement = _circumstances(r, cohort, count)
        needs = {d: d in domains for d in domains_all}
        # domestic abuse is a domain of the cohort rule too: only beside two or more others
        needs["domestic_abuse"] = cohort is not None and r.random() < 0.1
        derived = derive_cohort(needs=needs, engagement=engagement, stability=stability)
        assessed = ctx.rand_day(ctx.start + dt.timedelta(days=60), ctx.end)
        worker = cast.worker(ctx, HUB, i)
        if r.random() < 0.3:  # an earlier assessment, before things changed
            earlier = assessed - dt.timedelta(days=r.randint(60, 400))
            before = derive_cohort(needs=needs, engagement=E.PARTLY_ENGAGING, stability=St.UNSTABLE)
            _assessment(
                ctx, desk, i, earlier, worker, needs, E.PARTLY_ENGAGING, St.UNSTABLE, before
            )
        _assessment(ctx, desk, i, assessed, worker, needs, engagement, stability, derived)
        first = assessed - dt.timedelta(days=r.randint(1, 60))
        if len(domains) >= 2:
            hub_people.append(i)
            desk.refer(
                i,
                first,
                tuple(sorted(domains)),
                urgency=Urgency.URGENT,
                source=ReferralSource(r.choice(spec["hub_sources"])),
                force_accept=True,
                episodes={HUB: EpisodePlan(started_on=first + DAY)},
            )
            continue
        service = services[domains[0]]
        ended = first + dt.timedelta(days=r.randint(30, 200))
        done = ended <= ctx.end
        plan = EpisodePlan(ended_on=ended if done else None)
        if service == HOMELESSNESS_SERVICE:
            outcomes = ctx.calibration["homelessness_prevention"]["outcomes"]
            outcome = HomelessnessOutcome(choice_weighted(r, outcomes)) if done else None
            plan = EpisodePlan(
                kind=EpisodeKind.HOMELESSNESS_PREVENTION,
                ended_on=plan.ended_on,
                columns={"homelessness_outcome": outcome},
            )
        desk.refer(
            i,
            first,
            (domains[0],),
            urgency=Urgency.ROUTINE,
            source=ReferralSource.GP,
            episodes={service: plan},
        )
    return hub_people


def _assessment(
    ctx: CityContext,
    desk: ReferralDesk,
    i: int,
    day: dt.date,
    worker: int,
    needs: dict[str, bool],
    engagement: Engagement,
    stability: Stability,
    derived: Cohort | None,
) -> None:
    columns: dict[str, Any] = dict(needs)
    ctx.writer.row(
        "needs_assessments",
        id=ctx.writer.allocate("needs_assessments"),
        person_id=desk.cast.people.ids[i],
        assessed_on=day,
        assessed_by_id=worker,
        engagement=engagement,
        stability=stability,
        derived_cohort=derived,
        override_cohort=None,
        override_reason=None,
        recorded_at=utc(day, 15 * 3600),
        **columns,
    )
