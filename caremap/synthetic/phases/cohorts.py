"""Who needs care for the long term: people in long-term home care, and adults facing
multiple disadvantage (the core, edge and stable cohorts, and some with a single need)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from caremap.cohorts.enums import Cohort
from caremap.synthetic.context import CityContext
from caremap.synthetic.phases.care_homes import CareHomes
from caremap.synthetic.phases.population import Population


@dataclass(frozen=True)
class Cohorts:
    # person -> their cohort, or None for someone with a single need (assessed, not hub)
    of: dict[int, Cohort | None]

    def has_multiple_needs(self, i: int) -> bool:
        """Assessed for multiple needs: in a cohort or with a single need."""
        return i in self.of


def choose_home_care(ctx: CityContext, population: Population) -> set[int]:
    """Decided before reablement is, so reablement can leave out people already in
    long-term home care (they would not be offered it)."""
    r, lts = ctx.rng, ctx.calibration["long_term_support"]
    chosen: set[int] = set()
    for i in range(ctx.people):
        age = population.age(i, ctx.end)
        share = lts["share_65_plus"] if age >= 65 else lts["share_18_64"] if age >= 18 else 0
        if r.random() < share:
            chosen.add(i)
    return chosen


def choose_cohorts(
    ctx: CityContext, population: Population, home_care: set[int], care_homes: CareHomes
) -> Cohorts:
    """The calibrated number in each cohort among adults of 23 to 64 who are not in long-
    term care, younger ones likelier."""
    r, mn = ctx.rng, ctx.calibration["multiple_needs"]
    adults = [i for i in range(ctx.people) if 23 <= population.age(i, ctx.end) <= 64]
    adults = [i for i in adults if i not in home_care and i not in care_homes.current]
    wanted: dict[Cohort | None, int] = {
        Cohort.CORE: round(mn["core_city"] * ctx.scale),
        Cohort.EDGE: round(mn["edge_city"] * ctx.scale),
        Cohort.STABLE: round(mn["stable_city"] * ctx.scale),
        None: round(mn["single_need_city"] * ctx.scale),
    }
    total = sum(wanted.values())
    weights, acc = [], 0.0
    for i in adults:
        acc += 3 if population.age(i, ctx.end) < 45 else 1
        weights.append(acc)
    picked: list[int] = []
    seen: set[int] = set()
    while len(picked) < min(total, len(adults)):
        i = adults[bisect.bisect(weights, r.random() * acc)]
        if i not in seen:
            seen.add(i)
            picked.append(i)
    of: dict[int, Cohort | None] = {}
    at = 0
    for cohort, count in wanted.items():
        for i in picked[at : at + count]:
            of[i] = cohort
        at += count
    ctx.progress("cohorts", 1, 1)
    return Cohorts(of=of)
