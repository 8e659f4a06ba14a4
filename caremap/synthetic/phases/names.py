"""Names, streets and GP practices for the city to draw from."""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

from caremap.synthetic.context import CityContext


@dataclass(frozen=True)
class Names:
    female: list[str]
    male: list[str]
    family: list[str]
    streets: list[str]
    towns: dict[str, list[str]]  # area code -> its towns, the main one first
    practices: list[list[tuple[str, str]]]  # per area: (practice code, name)
    anyone: list[str]  # female then male given names: a relative's name


def make_names(ctx: CityContext) -> Names:
    """Draw the name pools once (sorted, so Faker's internal order cannot leak into the
    rows) from a Faker seeded with the city's seed rather than from the city's generator:
    Faker draws a varying number of numbers per name."""
    fake = Faker("en_GB")
    fake.seed_instance(ctx.seed)
    female = sorted({fake.first_name_female() for _ in range(3000)})
    male = sorted({fake.first_name_male() for _ in range(3000)})
    family = sorted({fake.last_name() for _ in range(6000)})
    streets = sorted({fake.street_name() for _ in range(4000)})
    ctx.rng.shuffle(streets)
    towns = ctx.lookups["towns"]
    return Names(
        female=female,
        male=male,
        family=family,
        streets=streets,
        towns=towns,
        practices=_practices(ctx, streets, towns),
        anyone=female + male,
    )


def _practices(
    ctx: CityContext, streets: list[str], towns: dict[str, list[str]]
) -> list[list[tuple[str, str]]]:
    """Practices named after a street in the city and after the town elsewhere, as
    practices usually are."""
    spec = ctx.lookups["gp_practices"]
    kinds = spec["kinds"]
    n = spec["first_number"]
    practices = []
    for area, count in zip(ctx.areas, spec["per_area"], strict=True):
        place = towns[area["code"]]
        rows = []
        for i in range(count):
            street = streets[n % len(streets)].split(" ")[0]
            kind = kinds[i % len(kinds)]
            name = f"{street} {kind}"
            if len(place) > 1:
                name = f"{place[i % len(place)]} {kind}"
                if i >= len(place):
                    name = f"{street} {kind}, {place[i % len(place)]}"
            rows.append((f"{spec['code_prefix']}{n:03d}", name))
            n += 1
        practices.append(rows)
    return practices
