"""Referrals that arrive at calibrated rates: discharges from hospital, falls, crises,
children's Big 6, wellbeing, needs no rule covers, and homelessness."""

from __future__ import annotations

import datetime as dt
import math

from caremap.episodes.enums import EpisodeKind, HomelessnessOutcome
from caremap.routing.enums import ReferralSource, Urgency
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted, pick, poisson
from caremap.synthetic.phases.cohorts import Cohorts
from caremap.synthetic.phases.referrals import EpisodePlan, ReferralDesk

DISCHARGE = ("hospital_discharge",)
HOMELESSNESS = ("homelessness",)
LONG_TERM_HOME_CARE = "home_care_long_term"
REABLEMENT_ENDS_WITHIN = (10, 42)  # days after discharge (ours)
PREVENTION_LASTS = (14, 56)  # days (ours)


def refer_reablement(ctx: CityContext, desk: ReferralDesk) -> None:
    """Every reablement chosen in the hospital phase arrives as a discharge referral that
    the rules send to reablement; it is accepted (the episode is already decided)."""
    r, cast = ctx.rng, desk.cast
    deaths = cast.hospital.deaths
    for reablement in cast.hospital.reablements:
        i, discharged = reablement.person, reablement.admission.discharged_on
        ended: dt.date | None = discharged + dt.timedelta(days=r.randint(*REABLEMENT_ENDS_WITHIN))
        ended = ended if ended <= ctx.end else None
        died = deaths.get(i)
        if died and ended and died < ended:
            ended = died
        desk.refer(
            i,
            discharged,
            DISCHARGE,
            urgency=Urgency.URGENT,
            source=ReferralSource.HOSPITAL,
            force_accept=True,
            episodes={
                "reablement": EpisodePlan(
                    kind=EpisodeKind.REABLEMENT,
                    started_on=discharged,
                    ended_on=ended,
                    end_reason="Reablement completed" if ended else None,
                    columns={
                        "discharged_on": discharged,
                        "follow_up_due_on": discharged + dt.timedelta(days=91),
                        "day91_outcome": reablement.day91_outcome,
                    },
                )
            },
        )


def refer_discharges_under_65(ctx: CityContext, desk: ReferralDesk) -> None:
    """A share of adult emergency discharges under 65 go to the hospital discharge team."""
    r, population = ctx.rng, desk.cast.population
    rates = ctx.calibration["referrals"]["per_1000_a_year"]
    share = rates["discharge_under_65_share_of_admissions"]
    for a in desk.cast.hospital.admissions:
        if (
            a.is_emergency
            and a.discharged_on <= ctx.end
            and 18 <= population.age(a.person, a.discharged_on) <= 64
            and r.random() < share
        ):
            desk.refer(
                a.person,
                a.discharged_on,
                DISCHARGE,
                urgency=Urgency.URGENT,
                source=ReferralSource.HOSPITAL,
            )


def refer_by_rate(ctx: CityContext, desk: ReferralDesk, home_care: set[int]) -> None:
    """Referrals at a rate per person over the whole history, by the streams in the
    lookups (who, how often, for what, how urgent, from whom)."""
    r, cast = ctx.rng, desk.cast
    rates = ctx.calibration["referrals"]["per_1000_a_year"]
    streams = ctx.lookups["people_rate_referrals"]
    thresholds = [math.exp(-rates[s["rate"]] / 1000 * ctx.years) for s in streams]
    for i in range(ctx.people):
        age = cast.population.age(i, ctx.end)
        for stream, threshold in zip(streams, thresholds, strict=True):
            if age < stream["age_from"] or (
                stream["age_to"] is not None and age > stream["age_to"]
            ):
                continue
            for _ in range(poisson(r, threshold)):
                day = ctx.rand_day(max(ctx.start, cast.population.dob[i]), ctx.end)
                if not cast.hospital.alive(i, day):
                    continue
                opened = ()
                if stream.get("tells_open_home_care") and i in home_care:
                    opened = (LONG_TERM_HOME_CARE,)
                needs = pick(r, stream["needs"], stream.get("needs_weights"))
                desk.refer(
                    i,
                    day,
                    tuple(needs),
                    urgency=Urgency(pick(r, stream["urgency"])),
                    source=ReferralSource(pick(r, stream["sources"])),
                    opened=opened,
                )


def refer_homelessness(ctx: CityContext, desk: ReferralDesk, cohorts: Cohorts) -> None:
    """Homelessness prevention for adults outside the multiple-needs cohorts (theirs
    comes with the hub), at the calibrated rate, with the outcome once it ends."""
    r, cast = ctx.rng, desk.cast
    hp = ctx.calibration["homelessness_prevention"]
    sources = ctx.lookups["homelessness_sources"]
    threshold = math.exp(-hp["per_1000_adults_a_year"] / 1000 * ctx.years)
    for i in range(ctx.people):
        if cast.population.age(i, ctx.end) < 18 or cohorts.has_multiple_needs(i):
            continue
        for _ in range(poisson(r, threshold)):
            day = ctx.rand_day(ctx.start, ctx.end)
            ended = day + dt.timedelta(days=r.randint(*PREVENTION_LASTS))
            done = ended <= ctx.end
            # the source is drawn before the outcome: the order of draws is the city's
            source = ReferralSource(r.choice(sources))
            outcome = HomelessnessOutcome(choice_weighted(r, hp["outcomes"])) if done else None
            desk.refer(
                i,
                day,
                HOMELESSNESS,
                urgency=Urgency.URGENT,
                source=source,
                episodes={
                    "homelessness_prevention": EpisodePlan(
                        kind=EpisodeKind.HOMELESSNESS_PREVENTION,
                        ended_on=ended if done else None,
                        columns={"homelessness_outcome": outcome},
                    )
                },
            )
