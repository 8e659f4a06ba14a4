"""Where the figures shown come from, said honestly: the API's `source` and
`computed_at` (snapshot, stored, live, mixed), the open period's live figures kept for a
minute and dated on the page, and stored medicines figures going stale when an admin
moves the polypharmacy thresholds."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from caremap.config import load_config
from caremap.core.extensions import db
from caremap.indicators import queries, recent
from caremap.indicators.definitions import definitions
from caremap.indicators.periods import parse_period, period_containing
from caremap.indicators.results import Filters
from caremap.indicators.stored import close_periods, stored_results
from caremap.medicines.operations import set_thresholds
from caremap.medicines.queries import thresholds
from tests.conftest import user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD, TODAY

FILTERS = Filters(area=AREA)
SINCE = dt.date(2025, 4, 1)
MEDICINES = {"MED-POLYPHARMACY", "MED-HIGH-RISK", "MED-REVIEWED"}
POLYPHARMACY = {"MED-POLYPHARMACY", "MED-REVIEWED"}  # counted at the polypharmacy threshold


@pytest.fixture
def city(ctx):
    return hand_counted.build()


@pytest.fixture
def keeping(app):
    """The live figures kept as in production (the suite turns keeping off)."""
    app.config["INDICATOR_LIVE_CACHE_SECONDS"] = 60
    recent.forget()
    yield app
    app.config.pop("INDICATOR_LIVE_CACHE_SECONDS")
    recent.forget()


def test_the_open_periods_figures_are_kept_and_dated(city, keeping):
    open_year = period_containing(TODAY, "year")
    first = queries.figures(period=open_year, filters=FILTERS, today=TODAY)
    assert first.source == "live" and first.live_at is not None
    again = queries.figures(period=open_year, filters=FILTERS, today=TODAY)
    assert again.live_at == first.live_at  # kept, not computed again
    assert [r.value for r in again.results] == [r.value for r in first.results]
    # another filter, or another day, is another entry
    whole = queries.figures(period=open_year, filters=Filters(), today=TODAY)
    assert whole.live_at >= first.live_at
    recent.forget()
    later = queries.figures(period=open_year, filters=FILTERS, today=TODAY)
    assert later.live_at > first.live_at
    # `live` never reads what was kept
    forced = queries.figures(period=open_year, filters=FILTERS, today=TODAY, live=True)
    assert forced.live_at > later.live_at


def test_a_kept_figure_is_computed_again_once_it_expires(city, keeping):
    keeping.config["INDICATOR_LIVE_CACHE_SECONDS"] = 0.2
    open_month = period_containing(TODAY, "month")
    first = queries.figures(period=open_month, filters=FILTERS, today=TODAY)
    time.sleep(0.3)
    assert queries.figures(period=open_month, filters=FILTERS, today=TODAY).live_at > first.live_at


def test_storing_closed_periods_forgets_what_was_kept(city, keeping):
    open_year = period_containing(TODAY, "year")
    first = queries.figures(period=open_year, filters=FILTERS, today=TODAY)
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    assert queries.figures(period=open_year, filters=FILTERS, today=TODAY).live_at > first.live_at


def test_the_api_says_stored_for_stored_figures_with_when(app, city, login_as):
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    db.session.commit()
    client = login_as("manager")
    body = client.get(f"/api/v1/indicators?period={PERIOD}&area={AREA}").json
    assert body["source"] == "stored" and body["snapshot_id"] is None
    assert body["computed_at"] is not None
    live = client.get(f"/api/v1/indicators?period={PERIOD}&area={AREA}&live=true").json
    assert live["source"] == "live" and live["computed_at"] is not None


def test_the_dashboard_says_stored_or_computed_and_when(app, city, login_as):
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    db.session.commit()
    client = login_as("manager")
    page = client.get(f"/indicators?period={PERIOD}&area={AREA}").get_data(as_text=True)
    assert "Figures of a closed period, stored by the daily job as at" in page
    page = client.get(f"/indicators?period=2024-25&area={AREA}").get_data(as_text=True)
    assert "Computed from the record as at" in page


def test_moving_a_threshold_makes_the_stored_medicines_figures_stale(city):
    period = parse_period(PERIOD)
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    kept = stored_results([period], FILTERS, today=TODAY)[PERIOD]
    assert set(kept) >= MEDICINES
    now = thresholds()
    set_thresholds(
        actor=user("admin"), flag_at=now.flag_at + 1, high_at=now.high_at, version=now.version
    )
    kept = stored_results([period], FILTERS, today=TODAY)[PERIOD]
    assert not POLYPHARMACY & set(kept)  # computed live until the job stores them again
    assert {d.code for d in definitions()} - POLYPHARMACY <= set(kept)  # high risk: same
    shown = queries.figures(period=period, filters=FILTERS, today=TODAY)
    assert set(shown.live_codes) == POLYPHARMACY and shown.source == "mixed"
    close_periods(today=TODAY, since=SINCE, filters=FILTERS)
    assert set(stored_results([period], FILTERS, today=TODAY)[PERIOD]) >= MEDICINES


def test_how_long_live_figures_are_kept_is_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("CAREMAP_INDICATOR_LIVE_CACHE_SECONDS", "0")
    assert load_config()["INDICATOR_LIVE_CACHE_SECONDS"] == 0
    monkeypatch.delenv("CAREMAP_INDICATOR_LIVE_CACHE_SECONDS")
    assert "INDICATOR_LIVE_CACHE_SECONDS" not in load_config()  # recent.py's 60 s, off in tests
