"""Same seed, same rows: a 2,000-person city, table by table, against recorded checksums.

The figures were recorded from the generator before it was split into phases, so any
refactor that changes a single drawn number (an extra rng call, a reordered loop) shows
up here as a changed checksum. If a change to the city is meant, regenerate the figures
with `python -m tests.synthetic.test_same_rows` and say why in the commit.

Left out, because they differ between two runs by design: users.password_hash (argon2
salts each hash), audit_events.at (the wall clock at generation) and audit_events.mac
(an HMAC over that time, keyed by the app's secret).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import sys
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.models import Base
from caremap.seed import seed_reference
from caremap.synthetic import generate_city
from caremap.synthetic.writer import ORDER
from tests.conftest import fresh_database_url, make_app, migrate, pytest_sessionfinish

PEOPLE = 2000
YEARS = 5
SEED = 42
END = dt.date(2026, 3, 31)
VARIES_BY_DESIGN = {("users", "password_hash"), ("audit_events", "at"), ("audit_events", "mac")}

# table: (rows, the first 16 hex digits of the sha256 of its rows in primary-key order),
# recorded on SQLite and PostgreSQL alike before the generator was split into phases;
# routing_decisions and audit_events again when the fall_step_up_reablement rule joined
# the rule set (the rules' ids moved and the seed's audit row counts one rule more), and
# again for the columns that keep when an event happened beside when it was entered
# (referrals, status changes, concerns, enquiries, the day-91 outcome's day): counts unchanged
# and again on 30 November 2026 (the same on both databases): long-term support's four
# tables (profiles, assessments, care packages, reviews; WEMWBS on some); the safeguarding
# phase drawing SAC's answers (an enquiry's risks, its conclusion), which moves the draws
# after it (medicines, tasks); and the referrals' two leaving-hospital columns
RECORDED: dict[str, tuple[int, str]] = {
    "users": (95, "883c98eb149cb6ba"),
    "people": (2020, "6a12d500b1feca0a"),
    "related_people": (78, "6064175fd7b29ce4"),
    "consent_records": (409, "1c16da9412aac936"),
    "needs_assessments": (98, "a77c498eeb757f8a"),
    "referral_submissions": (459, "3fa78f862815baeb"),
    "referrals": (544, "b0ece832833b26fc"),
    "referral_needs": (798, "3cac7699d6440db6"),
    "routing_decisions": (544, "39135d314585a8d1"),
    "referral_status_changes": (2211, "ff86523796a6e778"),
    "episodes": (1184, "b1c8e87d01130ddc"),
    "social_care_profiles": (205, "d0eccc3fceee7950"),
    "care_assessments": (123, "aef970302e1ef3d9"),
    "care_packages": (90, "fddd990ef554caac"),
    "care_reviews": (86, "d1f0d3e62fe7022d"),
    "tasks": (1030, "2a3b4d1a649042cd"),
    "care_team_members": (96, "a1a28722905785e7"),
    "safeguarding_concerns": (62, "7f001e6367aa7b4f"),
    "safeguarding_enquiries": (28, "7bb0af3f678d8428"),
    "safeguarding_enquiry_risks": (30, "f942d554e305825a"),
    "medicines": (4231, "7f7908ce1b05f7b4"),
    "medication_reviews": (158, "4048a75636295276"),
    "audit_events": (1, "3abb0c48144f5d7c"),
}


def _canonical(value: Any) -> str:
    """One spelling per value on both backends (SQLite hands back naive datetimes and
    PostgreSQL aware ones; enum columns come back as members)."""
    if value is None:
        return "~"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return repr(value)


def table_checksums() -> dict[str, tuple[int, str]]:
    """Rows and checksum of every table the generator writes, read in the current session."""
    found = {}
    for name in ORDER:
        table = Base.metadata.tables[name]
        columns = [c for c in table.columns if (name, c.name) not in VARIES_BY_DESIGN]
        statement = sa.select(*columns).order_by(*table.primary_key.columns)
        if name == "audit_events":
            # the reference data writes audit rows of its own; only the city's one counts
            statement = statement.where(table.c.action == "synthetic.city_generated")
        digest = hashlib.sha256()
        count = 0
        for row in db.session.execute(statement):
            digest.update("\x1f".join(_canonical(v) for v in row).encode())
            digest.update(b"\n")
            count += 1
        found[name] = (count, digest.hexdigest()[:16])
    return found


def generated_checksums() -> dict[str, tuple[int, str]]:
    """Generate the city in a database of its own and read back its checksums."""
    url = fresh_database_url("same_rows")
    migrate(url)
    app = make_app(url)
    try:
        with app.app_context():
            seed_reference()
            db.session.commit()
            generate_city(people=PEOPLE, years=YEARS, seed=SEED, end_on=END)
            db.session.flush()
            found = table_checksums()
            db.session.rollback()
    finally:
        db.state(app).engine.dispose()
    return found


@pytest.fixture(scope="module")
def checksums() -> dict[str, tuple[int, str]]:
    return generated_checksums()


def test_row_counts_are_as_recorded(checksums):
    assert {t: n for t, (n, _) in checksums.items()} == {t: n for t, (n, _) in RECORDED.items()}


@pytest.mark.parametrize("table", ORDER)
def test_rows_are_as_recorded(checksums, table):
    assert checksums[table] == RECORDED[table]


if __name__ == "__main__":
    # Print the figures to paste into RECORDED (after a change to the city that is meant).
    for table, (rows, digest) in generated_checksums().items():
        print(f'    "{table}": ({rows}, "{digest}"),')
    pytest_sessionfinish(None, 0)  # drops the PostgreSQL database made for the figures
    sys.exit(0)
