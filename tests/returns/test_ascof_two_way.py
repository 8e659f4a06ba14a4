"""ASCOF 2B and 2C computed a second way: from caremap's own CLD files, by DHSC's
published central method, in plain Python over the CSV — and the same figures as the
indicator engine's SQL over the record.

The central method (DataS-DHSC/ASC-CLD-LA-Dashboard Create_ASCOF_2B2C_2425_Onwards.sql):
- the person key is the NHS number, else the LA code and LA person ID;
- events come from the year's submission joined to earlier ones (for the history a
  "new" admission is judged against), de-duplicated on their identifying fields;
- service users' long-term residential or nursing services, not of a short-term
  component, of people with a birth date, alive at the year's start;
- admissions start in the year and did not end as self-funded (caremap also leaves out
  the fully client-funded: council-supported people only);
- an admission is not new when an earlier such service started before it and was still
  open, or ended less than 365 days before it;
- one per person, in the band of their youngest new admission, aged 18 or over.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from caremap.core.extensions import db
from caremap.indicators.compute import compute_indicators
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from caremap.returns import files
from caremap.returns.cld import event_rows
from caremap.returns.periods import quarter
from tests.factories import unique, valid_nhs_number
from tests.returns import records

YEAR = parse_period("2025-26")
RESIDENTIAL = ("Long term support: Residential care", "Long term residential care")
NURSING = ("Long term support: Nursing care", "Long term nursing care")
SHORT = ("Short term support: Other short term", "Short term residential care")
COMMUNITY = ("Long term support: Community", "Home support or domiciliary care")
SELF_FUNDED = "NFA: Self-funded client or under 12wk disregard"


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _city(seed: int = 17, people: int = 120) -> None:
    """A small city of care home careers from 2023 to 2026, every case the method has."""
    rng = random.Random(seed)
    for _ in range(people):
        born = _day(rng, dt.date(1925, 1, 1), dt.date(2009, 12, 31))
        died = None
        if rng.random() < 0.15:
            died = _day(rng, dt.date(2025, 1, 1), dt.date(2026, 6, 30))
        found = records.person(
            born=born.isoformat(),
            profile=rng.random() < 0.8,
            # a few without an NHS number: the method keys them by LA person ID
            nhs_number=valid_nhs_number(unique() + 5000) if rng.random() < 0.85 else None,
            date_of_death=died.isoformat() if died else None,
        )
        start = _day(rng, dt.date(2023, 1, 1), dt.date(2026, 3, 31))
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            if died and start > died:
                break
            kind = rng.choices((RESIDENTIAL, NURSING, SHORT, COMMUNITY), (5, 3, 2, 2))[0]
            length = rng.choice((20, 90, 200, 400, None))
            ended = None if length is None else start + dt.timedelta(days=length)
            if died and (ended is None or ended > died):
                ended = died if rng.random() < 0.7 else ended
            outcome = None
            if ended is not None:
                outcome = SELF_FUNDED if rng.random() < 0.15 else "NFA: Support ended as planned"
            records.package(
                found,
                service_type=kind[0],
                service_component=kind[1],
                delivery_mechanism=None,
                started_on=start,
                ended_on=ended,
                outcome=outcome,
                funded_by="Fully client funded" if rng.random() < 0.08 else None,
            )
            gap = rng.choice((1, 30, 200, 364, 365, 366, 500))
            start = (ended or start) + dt.timedelta(days=gap)
            if start > dt.date(2026, 6, 30):
                break
    db.session.flush()


def _read(code: str) -> list[dict[str, str]]:
    out = io.StringIO()
    files.write_cld(event_rows(quarter(code)), out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def central_method(rows: list[dict[str, str]], year) -> dict[str, int]:
    """New admissions by age band, from CLD rows, as DHSC counts them."""
    seen, services = set(), []
    for row in rows:
        key = row["NHS Number"] or f"{row['LA Code']}:{row['LA Person Unique Identifier']}"
        identity = (key, row["Event Start Date"], row["Service Type"], row["Service Component"])
        if row["Event Type"] != "Service" or identity in seen:
            continue  # the same event in two submissions is one event
        seen.add(identity)
        died = _date(row["Date of Death"])
        if (
            row["Client Type"] != "Service user"
            or row["Service Type"] not in (RESIDENTIAL[0], NURSING[0])
            or "short" in row["Service Component"].lower()
            or not row["Date of Birth"]
            or (died is not None and died < year.start)
        ):
            continue
        services.append(
            {
                "key": key,
                "born": _date(row["Date of Birth"]),
                "start": _date(row["Event Start Date"]),
                "end": _date(row["Event End Date"]),
                "council": row["Event Outcome"] != SELF_FUNDED
                and row["Client Funding Status"] != "Fully client funded",
            }
        )
    youngest: dict[str, int] = {}
    for s in services:
        if not (year.start <= s["start"] <= year.end and s["council"]):
            continue
        earlier = [
            e
            for e in services
            if e["key"] == s["key"]
            and e["start"] < s["start"]
            and (e["end"] is None or (s["start"] - e["end"]).days < 365)
        ]
        age = _age(s["born"], s["start"])
        if earlier or age < 18:
            continue
        youngest[s["key"]] = min(age, youngest.get(s["key"], age))
    bands = {"18-64": 0, "65+": 0}
    for age in youngest.values():
        bands["18-64" if age <= 64 else "65+"] += 1
    return bands


def test_2b_and_2c_from_the_cld_files_equal_the_indicator_engine(ctx):
    _city()
    # the year's submission joined to the two before it, for the earlier services
    rows = _read("2025-26-Q4") + _read("2024-25-Q4") + _read("2023-24-Q4")
    from_files = central_method(rows, YEAR)
    results = {r.code: r for r in compute_indicators(period=YEAR, filters=Filters())}
    from_engine = {
        "18-64": results["ASCOF-2A-18-64"].numerator,
        "65+": results["ASCOF-2A-65"].numerator,
    }
    assert from_files == from_engine
    # the city is big enough to exercise both bands and the exclusions
    assert from_files["18-64"] > 0 and from_files["65+"] > 5
