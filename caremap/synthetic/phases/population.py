"""Who lives in the city: an age, a sex and an area for each person, by the pyramid."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caremap.people.enums import Sex
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import rate_for


@dataclass(frozen=True)
class Population:
    """Everyone by index 0..n-1 (the index, not the database id, is how phases name a
    person until the people rows are written)."""

    area: list[int]  # index into ctx.areas
    dob: list[dt.date]
    sex: list[Sex]
    by_area: list[list[int]]

    def age(self, i: int, on: dt.date) -> int:
        """Age in whole years; rates and rules are by age on the day, not by birth year."""
        # written out rather than calling a helper: this runs millions of times
        born = self.dob[i]
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def make_population(ctx: CityContext) -> Population:
    """Ages by the pyramid (largest remainder, so the counts are exact), areas by their
    share of each band, then shuffled so ids follow neither age nor area."""
    r, n = ctx.rng, ctx.people
    cells = []
    for a, area in enumerate(ctx.areas):
        for band in area["bands"]:
            cells.append((a, band["age_from"], band["age_to"], band["population"]))
    total = sum(c[3] for c in cells)
    raw = [c[3] * n / total for c in cells]
    counts = [int(x) for x in raw]
    order = sorted(range(len(cells)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    shares = ctx.lookups["female_share_by_age"]["bands"]
    female_share = [rate_for(shares, age, "share") for age in range(121)]
    areas: list[int] = []
    dobs: list[dt.date] = []
    sexes: list[Sex] = []
    for (a, low, high, _), count in zip(cells, counts, strict=True):
        top = high if high is not None else 99
        for _ in range(count):
            # the open top band tails off rather than stopping at a wall
            age = (
                r.randint(low, top)
                if high is not None
                else min(low + int(r.expovariate(0.22)), 105)
            )
            born = ctx.end - dt.timedelta(days=int(age * 365.25) + r.randrange(365))
            areas.append(a)
            dobs.append(born)
            sexes.append(Sex.FEMALE if r.random() < female_share[age] else Sex.MALE)
    index = list(range(n))
    r.shuffle(index)
    area = [areas[i] for i in index]
    by_area: list[list[int]] = [[] for _ in ctx.areas]
    for i, a in enumerate(area):
        by_area[a].append(i)
    ctx.progress("population", 1, 1)
    return Population(
        area=area, dob=[dobs[i] for i in index], sex=[sexes[i] for i in index], by_area=by_area
    )
