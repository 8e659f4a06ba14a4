"""Both returns for a fixed small record, byte for byte against files kept in
tests/returns/golden/. Identifiers the database hands out (record and event numbers,
NHS numbers, names made unique) are replaced by their order of appearance, so the file
holds what the return says, not which test ran first.

To accept a deliberate change: CAREMAP_UPDATE_GOLDEN=1 pytest tests/returns/test_golden.py,
read the diff, and commit it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from decimal import Decimal
from pathlib import Path

import pytest

from caremap.core.extensions import db
from caremap.longterm.enums import AssessmentKind
from caremap.returns import files, sac
from caremap.returns.cld import event_rows
from caremap.returns.periods import financial_year, quarter
from tests.factories import accept, make_referral
from tests.returns import records
from tests.returns.records import IN_WINDOW

GOLDEN = Path(__file__).parent / "golden"
# columns whose values the database or the factories number, and the kind of token each
# becomes (a person's LA identifier and a carer's link to them are one kind: they match)
NUMBERED = {
    "NHS Number": "nhs",
    "LA Person Unique Identifier": "person",
    "Adult 1 Linked Person ID": "person",
    "Last Name": "name",
    "Event Reference": "event",
}


def _matches(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CAREMAP_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_bytes().decode("utf-8")


def _tokens(text: str) -> str:
    header, *body = list(csv.reader(io.StringIO(text)))
    tokens: dict[tuple[str, str], str] = {}
    counts: dict[str, int] = {}
    for row in body:
        for name, kind in NUMBERED.items():
            i = header.index(name)
            if row[i] and (kind, row[i]) not in tokens:
                counts[kind] = counts.get(kind, 0) + 1
                prefix = row[i].split("-")[0] + "-" if kind == "event" else ""
                tokens[(kind, row[i])] = f"{prefix}<{kind} {counts[kind]}>"
            if row[i]:
                row[i] = tokens[(kind, row[i])]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    return out.getvalue()


@pytest.fixture
def record(ctx):
    cared_for = records.person(born="1940-05-06", given_name="Ada")
    referral = make_referral(cared_for)
    accept(referral)
    referral.received_at = dt.datetime(2025, 11, 3, 10, tzinfo=dt.UTC)
    referral.responded_at = dt.datetime(2025, 11, 4, 15, tzinfo=dt.UTC)
    records.assessment(cared_for)
    records.package(cared_for)
    records.package(
        cared_for,
        service_type="Long term support: Residential care",
        service_component="Long term residential care",
        delivery_mechanism="CASSR commissioned support",
        started_on=dt.date(2026, 3, 1),
        unit_cost=None,
        cost_frequency=None,
        planned_units_per_week=None,
    )
    records.review(cared_for)
    carer = records.person(born="1968-09-30", given_name="Ben", sex="male", profile=False)
    records.add_profile(carer, client_type="Unpaid carer", has_unpaid_carer=False)
    records.assessment(
        carer,
        kind=AssessmentKind.CARERS,
        eligible_needs_identified=None,
        hours_caring_per_week=Decimal("20.0"),
        adults_cared_for=1,
        cared_for_person_id=cared_for.id,
        ended_on=IN_WINDOW + dt.timedelta(days=3),
    )
    records.enquiry(
        cared_for,
        started_on=dt.date(2025, 10, 1),
        closed_on=dt.date(2026, 1, 10),
        risks=(("financial_or_material", "own_home", "known_to_the_person"),),
        action_result="risk_identified_action_taken",
        risk_outcome="removed",
        lacked_capacity="no",
        msp_asked="asked_outcomes_expressed",
        outcomes_achieved="fully",
    )
    db.session.flush()
    return {cared_for.id, carer.id}


def test_the_cld_file_matches_its_golden_copy(record):
    out = io.StringIO()
    # this test's people only: other tests may have committed records of their own
    mine = (row for row in event_rows(quarter("2026-Q2")) if row.person_id in record)
    files.write_cld(mine, out)
    _matches("cld-2026-Q2.csv", _tokens(out.getvalue()))


def test_the_sac_tables_match_their_golden_copy(record):
    out = io.StringIO()
    files.write_sac_csv(sac.build(financial_year("2025-26"), only=record), out)
    _matches("sac-2025-26.csv", out.getvalue())
