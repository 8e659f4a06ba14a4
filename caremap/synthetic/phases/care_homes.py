"""Care homes: permanent admissions at the calibrated rates, and moves between homes."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from caremap.episodes.enums import CareHomeType
from caremap.synthetic.context import CityContext
from caremap.synthetic.phases.hospital import Hospital
from caremap.synthetic.phases.population import Population


@dataclass(slots=True)
class CareHomeStay:
    person: int
    started_on: dt.date
    ended_on: dt.date | None  # set when the person moves on to another home
    kind: CareHomeType
    is_permanent: bool
    moved_from_care_home: bool


@dataclass(frozen=True)
class CareHomes:
    stays: list[CareHomeStay]  # in the order they began
    current: dict[int, CareHomeStay]  # person -> the stay they are in now


def place_in_care_homes(ctx: CityContext, population: Population, hospital: Hospital) -> CareHomes:
    """Admissions year by year among the living not yet in a home, weighted to the
    oldest; then a share of earlier residents moves to a home of the other kind."""
    r, cal = ctx.rng, ctx.calibration["care_home_admissions"]
    current: dict[int, CareHomeStay] = {}
    stays: list[CareHomeStay] = []
    for y in range(ctx.years):
        first, last = ctx.year_window(y)
        mid = first + dt.timedelta(days=182)
        for low, high, rate in (
            (65, 200, cal["per_100000_65_plus_a_year"]),
            (18, 64, cal["per_100000_18_64_a_year"]),
        ):
            pool = [
                i
                for i in range(ctx.people)
                if low <= population.age(i, mid) <= high
                and i not in current
                and hospital.alive(i, last)
            ]
            k = int(rate * len(pool) / 100000 + r.random())
            weights, acc = [], 0.0
            for i in pool:
                age = population.age(i, mid)
                acc += 12 if age >= 85 else 4 if age >= 75 else 1
                weights.append(acc)
            chosen: set[int] = set()
            while len(chosen) < min(k, len(pool)):
                chosen.add(pool[bisect.bisect(weights, r.random() * acc)])
            for i in sorted(chosen):
                day = ctx.rand_day(first, last)
                nursing = r.random() < cal["nursing_share"]
                kind = CareHomeType.NURSING if nursing else CareHomeType.RESIDENTIAL
                stay = CareHomeStay(i, day, None, kind, True, False)
                stays.append(stay)
                current[i] = stay
        # a resident admitted in an earlier year moves to a home of the other kind
        residents = sorted(i for i, stay in current.items() if stay.started_on < first)
        moves = int(cal["moves_share"] * len(residents) * 0.25 + r.random())
        for i in r.sample(residents, min(moves, len(residents))):
            day = ctx.rand_day(first, last)
            old = current[i]
            if not hospital.alive(i, day):
                continue
            old.ended_on = day
            kind = (
                CareHomeType.RESIDENTIAL
                if old.kind is CareHomeType.NURSING
                else CareHomeType.NURSING
            )
            stay = CareHomeStay(i, day, None, kind, True, True)
            stays.append(stay)
            current[i] = stay
    ctx.progress("care homes", 1, 1)
    return CareHomes(stays=stays, current=current)
