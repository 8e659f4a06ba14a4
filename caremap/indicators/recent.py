"""The open period's live figures, kept for a minute.

A closed period's figures are stored (stored.py) and read in one query; the open
period's (this year, quarter or month to date) can only be computed, which takes
seconds at city scale. Every manager opening the dashboard in the same minute would
compute the same figures again, so each web process keeps what it computed for
`LIVE_SECONDS` (config `INDICATOR_LIVE_CACHE_SECONDS`; 0 turns this off), keyed by the
period, the filters and the day that counts as today, one entry per indicator.

The pages say when the figures they show were computed ("as at 14:02"), so a figure
up to a minute old never passes for this second's. What moves figures in bulk clears
the kept ones of this process: storing closed periods, correcting a population. An
explicit recomputation (`live`, an export, a snapshot) never reads them.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import flask

from caremap.core.db import utcnow
from caremap.indicators.compute import compute_indicators
from caremap.indicators.periods import Period
from caremap.indicators.results import Filters, IndicatorResult

LIVE_SECONDS = 60
# At most this many (period, filters, day) entries per process; older ones go first.
MAX_ENTRIES = 64
_EXTENSION = "caremap_live_indicator_figures"


@dataclass
class _Kept:
    results: dict[str, IndicatorResult]
    computed_at: dict[str, dt.datetime]  # when each figure was computed (UTC)
    expires: dict[str, float]  # time.monotonic() after which each is computed again


class _LiveFigures:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[tuple, _Kept] = {}

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def _store() -> _LiveFigures:
    app = flask.current_app
    found = app.extensions.get(_EXTENSION)
    if found is None:
        found = app.extensions.setdefault(_EXTENSION, _LiveFigures())
    return found


def _seconds() -> float:
    """How long a live figure is kept. Not at all under the test suite (TESTING) unless a
    test sets it: one app serves many tests' databases, and a figure kept from one test's
    records would answer for the next one's."""
    app = flask.current_app
    default = 0 if app.testing else LIVE_SECONDS
    return float(app.config.get("INDICATOR_LIVE_CACHE_SECONDS", default))


def forget() -> None:
    """Drop every kept figure of this process (figures have moved in bulk)."""
    if flask.has_app_context():
        _store().clear()


def live_results(
    *, period: Period, filters: Filters, codes: Iterable[str], today: dt.date
) -> tuple[dict[str, IndicatorResult], dict[str, dt.datetime]]:
    """{code: result} of `codes` for a period computed live, and when each was computed:
    those kept from the last `LIVE_SECONDS` as they were, the rest computed now in one
    statement (and kept)."""
    codes = list(codes)
    seconds = _seconds()
    if seconds <= 0:
        now = utcnow()
        results = compute_indicators(period=period, filters=filters, codes=codes, today=today)
        return {r.code: r for r in results}, {r.code: now for r in results}
    store = _store()
    key = (period.code, tuple(sorted(filters.as_dict().items())), today)
    clock_now = time.monotonic()
    with store.lock:
        kept = store.entries.get(key)
        if kept is None:
            if len(store.entries) >= MAX_ENTRIES:
                store.entries.pop(next(iter(store.entries)))
            kept = store.entries[key] = _Kept({}, {}, {})
        missing = [c for c in codes if kept.expires.get(c, 0.0) <= clock_now]
    if missing:
        now = utcnow()
        fresh = compute_indicators(period=period, filters=filters, codes=missing, today=today)
        until = time.monotonic() + seconds
        with store.lock:
            for result in fresh:
                kept.results[result.code] = result
                kept.computed_at[result.code] = now
                kept.expires[result.code] = until
    with store.lock:
        return (
            {c: kept.results[c] for c in codes if c in kept.results},
            {c: kept.computed_at[c] for c in codes if c in kept.computed_at},
        )
