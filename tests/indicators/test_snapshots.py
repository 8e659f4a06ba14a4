"""A snapshot keeps a period's figures unchanged; comparing names the records that moved."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.indicators.models import IndicatorSnapshot
from caremap.indicators.periods import parse_period
from caremap.indicators.queries import newest_snapshot, snapshot_list
from caremap.indicators.results import Filters
from caremap.indicators.snapshots import compare_with_snapshot, take_snapshot
from tests.conftest import user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD, TODAY


def test_snapshot_freezes_figures_and_a_correction_shows_as_a_change(ctx):
    city = hand_counted.build()
    period, filters = parse_period(PERIOD), Filters(area=AREA)
    manager = user("manager")
    snapshot = take_snapshot(
        actor=manager, period=period, filters=filters, label="Board, May", today=TODAY
    )
    frozen = snapshot.results["ASCOF-2B"]
    assert (frozen["numerator"], frozen["denominator"], frozen["value"]) == (3, 8, 37.5)
    assert city.names["notrecorded"] in snapshot.people["ASCOF-2B"]["denominator"]
    assert "denominator_ids" not in frozen  # the figures stay small; people are apart
    assert compare_with_snapshot(snapshot, today=TODAY) == []

    # the day-91 outcome is recorded late: the person was at home
    late = db.session.scalar(
        sa.select(Episode).where(Episode.person_id == city.names["notrecorded"])
    )
    late.day91_outcome = "at_home"
    db.session.flush()

    changes = {c.code: c for c in compare_with_snapshot(snapshot, today=TODAY)}
    assert set(changes) == {"ASCOF-2B"}
    change = changes["ASCOF-2B"]
    assert change.before == {"value": 37.5, "numerator": 3, "denominator": 8}
    assert change.after == {"value": 50.0, "numerator": 4, "denominator": 8}
    assert change.added_to_numerator == [city.names["notrecorded"]]
    assert change.removed_from_numerator == change.added_to_denominator == []

    db.session.expire_all()
    kept = db.session.get(IndicatorSnapshot, snapshot.id)
    assert kept.results["ASCOF-2B"]["value"] == 37.5  # the board's figure has not moved
    assert kept.computed_by_id == manager.id and kept.label == "Board, May"
    assert newest_snapshot(period, filters).id == snapshot.id
    assert newest_snapshot(period, Filters()) is None  # none taken for the whole system
    assert snapshot_list(period)[0].id == snapshot.id
    audit = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "indicators.snapshot")
    )
    assert audit.actor_id == manager.id and audit.changes["snapshot_id"] == snapshot.id


def test_a_quarter_kept_under_its_calendar_code_is_found_and_named_financially(ctx, api, login_as):
    """Before quarters were named by the financial year, October–December 2025 was kept as
    2025-Q4; asked for as 2025-26-Q3 (or 2025-Q4) it is the same snapshot, shown as
    2025-26 Q3."""
    hand_counted.build()
    quarter, filters = parse_period("2025-26-Q3"), Filters(area=AREA)
    kept = take_snapshot(actor=user("manager"), period=quarter, filters=filters, today=TODAY)
    kept.period = "2025-Q4"  # as a snapshot taken before was stored
    db.session.flush()
    assert newest_snapshot(quarter, filters).id == kept.id
    assert newest_snapshot(parse_period("2025-Q4"), filters).id == kept.id
    assert [s.id for s in snapshot_list(quarter)] == [kept.id]
    assert kept.reporting_period.code == "2025-26-Q3"
    listed = api("manager").get("/indicators/snapshots")
    assert next(s for s in listed.json if s["id"] == kept.id)["period"] == "2025-26-Q3"
    page = login_as("manager").get("/indicators/snapshots").get_data(as_text=True)
    assert "2025-26 Q3 (October–December 2025)" in page and "2025-Q4" not in page
