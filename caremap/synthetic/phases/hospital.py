"""Hospital: emergency and elective admissions, and reablement after discharge (with
the deaths that the day-91 follow-up finds)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from caremap.episodes.enums import AdmissionCondition, Day91Outcome
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted, poisson, rate_for
from caremap.synthetic.phases.population import Population

# Calibration's day-91 share of follow-ups nobody recorded: the episode keeps no outcome.
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True, slots=True)
class Admission:
    person: int
    admitted_on: dt.date
    discharged_on: dt.date  # may lie after the history's end: still in hospital then
    is_emergency: bool
    ready_on: dt.date  # medically ready for discharge; before discharged_on if delayed
    condition: AdmissionCondition


@dataclass(frozen=True, slots=True)
class Reablement:
    person: int
    admission: Admission
    day91_outcome: Day91Outcome | None


@dataclass(frozen=True)
class Hospital:
    admissions: list[Admission]  # by admission day; none after the person died
    reablements: list[Reablement]
    deaths: dict[int, dt.date]  # person -> date of death: nothing happens to them after

    def alive(self, i: int, on: dt.date) -> bool:
        """Every later phase asks before it dates anything: nothing happens after death."""
        died = self.deaths.get(i)
        return died is None or on <= died


def admit(ctx: CityContext, population: Population) -> list[Admission]:
    """Admissions year by year at the calibrated rates by age (Poisson per person-year),
    with lengths of stay and delayed discharges by age."""
    r, cal = ctx.rng, ctx.calibration
    rates = cal["emergency_admissions"]["per_1000_a_year_by_age"]
    # exp(-rate) per age once, not per person-year: the Poisson draw needs only that
    emergency = [math.exp(-rate_for(rates, a, "rate") / 1000) for a in range(121)]
    elective = math.exp(-cal["elective_admissions"]["per_1000_a_year"] / 1000)
    stay = cal["length_of_stay"]
    conditions = cal["admission_conditions"]
    dob = population.dob
    admissions: list[Admission] = []
    for y in range(ctx.years):
        first, last = ctx.year_window(y)
        mid = first + dt.timedelta(days=182)
        for i in range(ctx.people):
            if dob[i] > last:
                continue
            age = max(population.age(i, mid), 0)
            for is_emergency, count in (
                (True, poisson(r, emergency[min(age, 120)])),
                (False, poisson(r, elective) if age >= 18 else 0),
            ):
                for _ in range(count):
                    day = ctx.rand_day(max(first, dob[i]), last)
                    at = population.age(i, day)
                    mean = rate_for(stay["mean_days_by_age"], at, "days")
                    los = int(r.expovariate(1 / mean)) if is_emergency else r.randint(0, 3)
                    end = day + dt.timedelta(days=los)
                    ready = end
                    share = (
                        stay["delayed_share_65_plus"]
                        if at >= 65
                        else stay["delayed_share_18_64"]
                        if at >= 18
                        else 0
                    )
                    if los >= 2 and r.random() < share:
                        delay = min(los - 1, 1 + int(r.expovariate(1 / stay["delayed_days_mean"])))
                        ready = end - dt.timedelta(days=delay)
                    if is_emergency:
                        table = conditions["child"] if at < 18 else conditions["adult"]
                        condition = AdmissionCondition(choice_weighted(r, table))
                    else:
                        condition = AdmissionCondition.OTHER
                    admissions.append(Admission(i, day, end, is_emergency, ready, condition))
        ctx.progress("hospital", y + 1, ctx.years)
    admissions.sort(key=lambda a: (a.admitted_on, a.person))
    return admissions


def reable(
    ctx: CityContext,
    population: Population,
    admissions: list[Admission],
    home_care: set[int],
) -> Hospital:
    """Pick the calibrated number of reablement episodes a year among emergency
    discharges (not people already in long-term home care), and play out day 91: some
    die, so every later phase must ask `alive`."""
    r, cal = ctx.rng, ctx.calibration["reablement"]
    per_year = cal["per_year_city"] * ctx.scale
    deaths: dict[int, dt.date] = {}
    reablements: list[Reablement] = []
    last_discharge: dict[int, dt.date] = {}
    carry = 0.0
    for y in range(ctx.years):
        first, last = ctx.year_window(y)
        candidates = [
            a
            for a in admissions
            if a.is_emergency
            and a.discharged_on <= ctx.end
            and first <= a.discharged_on <= last
            and a.person not in home_care
            and population.age(a.person, a.discharged_on) >= cal["age_min"]
        ]
        # a fractional count per year carries over, so small cities still get some
        carry += per_year
        k = min(int(carry + 0.5), len(candidates))
        carry -= k
        for a in sorted(r.sample(candidates, k), key=lambda a: (a.discharged_on, a.person)):
            i = a.person
            died = deaths.get(i)
            if died is not None and a.discharged_on > died:
                continue
            outcome = None
            if a.discharged_on + dt.timedelta(days=91) <= ctx.end:
                drawn = choice_weighted(r, cal["day91_outcomes"])
                outcome = None if drawn == NOT_RECORDED else Day91Outcome(drawn)
                if outcome is Day91Outcome.DIED:
                    died = a.discharged_on + dt.timedelta(days=r.randint(5, 90))
                    # alive at the day-91 point of an earlier reablement of theirs
                    earlier = last_discharge.get(i)
                    if earlier is not None and died <= earlier + dt.timedelta(days=91):
                        outcome = Day91Outcome.IN_HOSPITAL
                    else:
                        deaths[i] = died
            last_discharge[i] = a.discharged_on
            reablements.append(Reablement(i, a, outcome))
    hospital = Hospital(admissions=[], reablements=reablements, deaths=deaths)
    # Nothing happens to anyone after they died.
    hospital.admissions.extend(a for a in admissions if hospital.alive(a.person, a.admitted_on))
    ctx.progress("hospital", ctx.years, ctx.years)
    return hospital
