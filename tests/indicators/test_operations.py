"""Correcting a population estimate, and reading stored figures cheaply."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.indicators import queries
from caremap.indicators.compute import compute_indicators
from caremap.indicators.models import PopulationEstimate
from caremap.indicators.operations import update_population
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from caremap.indicators.snapshots import take_snapshot
from tests.conftest import user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD


@pytest.fixture
def band(ctx):
    hand_counted.build()
    return db.session.scalar(
        sa.select(PopulationEstimate).where(
            PopulationEstimate.area_code == AREA, PopulationEstimate.age_from == 65
        )
    )


def _audits():
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "indicators.population_update")
    ).all()


def test_update_changes_the_rate_and_audits_before_and_after(band):
    admin = user("admin")
    update_population(
        actor=admin, estimate_id=band.id, population=3000, source="ONS 2025", version=band.version
    )
    assert (band.population, band.source, band.updated_by_id) == (3000, "ONS 2025", admin.id)
    [row] = _audits()
    assert row.changes["before"] == {"population": 2000, "source": "hand-counted test figures"}
    assert row.changes["after"] == {"population": 3000, "source": "ONS 2025"}
    [rate] = compute_indicators(
        period=parse_period(PERIOD), filters=Filters(area=AREA), codes=["ASCOF-2A-65"]
    )
    assert rate.value == pytest.approx(100.0)  # 3 admissions per 3,000


def test_a_negative_population_is_a_field_error_and_changes_nothing(band):
    with pytest.raises(DomainError) as raised:
        update_population(
            actor=user("admin"), estimate_id=band.id, population=-1, source="x", version=1
        )
    assert raised.value.field == "population"
    assert band.population == 2000 and _audits() == []


def test_a_stale_version_conflicts(band):
    update_population(
        actor=user("admin"), estimate_id=band.id, population=2100, source="a", version=1
    )
    with pytest.raises(StaleVersionError):
        update_population(
            actor=user("admin"), estimate_id=band.id, population=2200, source="b", version=1
        )
    assert band.population == 2100


def test_stored_figures_are_read_in_a_fixed_number_of_queries(band, count_queries):
    period, filters = parse_period(PERIOD), Filters(area=AREA)
    take_snapshot(actor=user("manager"), period=period, filters=filters)
    take_snapshot(actor=user("manager"), period=period)  # another, without the filter
    db.session.flush()
    db.session.expire_all()
    with count_queries() as statements:
        figures = queries.figures(period=period, filters=filters)
    assert figures.snapshot is not None and figures.snapshot.filters == {"area": AREA}
    assert len(statements) <= 3
    live = {
        r.code: (r.value, r.numerator, r.denominator, r.rag)
        for r in compute_indicators(period=period, filters=filters)
    }
    assert {r.code: (r.value, r.numerator, r.denominator, r.rag) for r in figures.results} == live
