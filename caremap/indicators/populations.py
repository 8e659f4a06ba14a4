"""Population denominators: ONS mid-year estimates by area and age band (seed/populations.json)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.indicators.models import Area, PopulationEstimate, PostcodeDistrict
from caremap.indicators.periods import Period


def load_populations(data: dict[str, Any]) -> dict[str, int]:
    """Areas, their postcode districts and population bands from the seed file.

    Safe to repeat: existing rows are left as they are (an admin may have edited them),
    missing ones are added.
    """
    counts = {"areas": 0, "postcode_districts": 0, "population_estimates": 0}
    for item in data["areas"]:
        area = db.session.get(Area, item["code"])
        if area is None:
            area = Area(code=item["code"], name=item["name"])
            db.session.add(area)
            counts["areas"] += 1
        for district in item["postcode_districts"]:
            if db.session.get(PostcodeDistrict, district) is None:
                db.session.add(PostcodeDistrict(district=district, area_code=area.code))
                counts["postcode_districts"] += 1
        db.session.flush()
        existing = set(
            db.session.scalars(
                sa.select(PopulationEstimate.age_from).where(
                    PopulationEstimate.area_code == area.code,
                    PopulationEstimate.year == item["year"],
                )
            )
        )
        for band in item["bands"]:
            if band["age_from"] in existing:
                continue
            db.session.add(
                PopulationEstimate(
                    area_code=area.code,
                    year=item["year"],
                    age_from=band["age_from"],
                    age_to=band["age_to"],
                    population=band["population"],
                    source=item["source"],
                )
            )
            counts["population_estimates"] += 1
    db.session.flush()
    return counts


def estimate_year(period: Period) -> int:
    """The mid-year (30 June) estimate a period is measured against: the financial year's
    first calendar year (mid-2025 for 2025-26 and each of its months)."""
    return period.start.year if period.start.month >= 4 else period.start.year - 1


def population_for(
    *, youngest: int, oldest: int | None, area: str | None, period: Period
) -> int | None:
    """People aged youngest to oldest (None: and over), in one area or all of them, from the
    newest estimate no later than the period's year (else the earliest there is).

    The bands must fit the ages exactly (seed bands split at 18 and 65 for this);
    a band that straddles them is a data error, not something to guess across.
    """
    stmt = sa.select(*_BAND_COLUMNS)
    if area:
        stmt = stmt.where(PopulationEstimate.area_code == area)
    return population_among(
        db.session.execute(stmt).all(), youngest=youngest, oldest=oldest, area=area, period=period
    )


_BAND_COLUMNS = (
    PopulationEstimate.area_code,
    PopulationEstimate.year,
    PopulationEstimate.age_from,
    PopulationEstimate.age_to,
    PopulationEstimate.population,
)


def all_bands() -> list[sa.Row]:
    """Every population band (a few hundred rows), for `population_among`: a page
    showing many rates over many periods reads them once."""
    return db.session.execute(sa.select(*_BAND_COLUMNS)).all()


def population_among(
    bands, *, youngest: int, oldest: int | None, area: str | None, period: Period
) -> int | None:
    """`population_for`'s answer from bands already read (rows of area_code, year,
    age_from, age_to, population)."""
    bands = [b for b in bands if not area or b.area_code == area]
    available = sorted({b.year for b in bands})
    if not available:
        return None
    year = estimate_year(period)
    chosen = max((y for y in available if y <= year), default=available[0])
    total = 0
    for band in (b for b in bands if b.year == chosen):
        top = band.age_to if band.age_to is not None else 10**6
        limit = oldest if oldest is not None else 10**6
        if band.age_from >= youngest and top <= limit:
            total += band.population
        elif band.age_from <= limit and top >= youngest:
            raise ValueError(
                f"population band {band.age_from}-{band.age_to} of {band.area_code} "
                f"straddles ages {youngest}-{oldest}"
            )
    return total
