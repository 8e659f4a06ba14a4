"""What indicators need beyond the record: areas and their populations, and snapshots.

Rates per 100,000 divide by the population of an age band in an area (ONS mid-year
estimates shipped in seed/populations.json, editable by admins). A snapshot freezes the
figures of a period, with the records behind each, so a board report never changes
afterwards and a re-run can say what changed and why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caremap.auth.models import User
from caremap.core.db import Base, utcnow
from caremap.indicators.periods import Period, parse_period
from caremap.people.models import Person


class Area(Base):
    """A local authority district of the locality (Plymouth, South Hams, West Devon)."""

    __tablename__ = "areas"

    code: Mapped[str] = mapped_column(sa.String(9), primary_key=True)  # ONS GSS code
    name: Mapped[str] = mapped_column(sa.String(120))

    populations: Mapped[list[PopulationEstimate]] = relationship(
        back_populates="area", order_by="PopulationEstimate.age_from"
    )


class PostcodeDistrict(Base):
    """Which area a postcode district (the outward code, e.g. PL4) belongs to."""

    __tablename__ = "postcode_districts"

    district: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"), index=True)


class PopulationEstimate(Base):
    """People of an age band living in an area in a year (age_to empty: and over)."""

    __tablename__ = "population_estimates"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(sa.ForeignKey("areas.code"))
    year: Mapped[int]
    age_from: Mapped[int]
    age_to: Mapped[int | None]
    population: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(500))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1)

    area: Mapped[Area] = relationship(back_populates="populations")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint(
            "area_code", "year", "age_from", name="uq_population_estimates_area_code_year_age_from"
        ),
        sa.CheckConstraint("population >= 0", name="population_not_negative"),
        sa.CheckConstraint("age_to IS NULL OR age_to >= age_from", name="age_band_ordered"),
    )


class IndicatorSnapshot(Base):
    """The figures of one period as computed at one moment, kept unchanged for good."""

    __tablename__ = "indicator_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    # 2025-26, 2025-26-Q3, 2025-10; a quarter kept before they were named by the
    # financial year has its calendar code (2025-Q4 for the same months): see `reporting_period`
    period: Mapped[str] = mapped_column(sa.String(20))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    # strand / service / area filters the figures were computed with ({} for the system)
    filters: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    label: Mapped[str | None] = mapped_column(sa.String(200))
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # {code: {value, numerator, denominator, rag, ...}}: small, read by every dashboard
    results: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # {code: {"numerator": [person ids], "denominator": [...]}}: megabytes at city scale,
    # read only to say what changed since, so kept apart and never loaded by default
    people: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict, deferred=True)

    computed_by: Mapped[User | None] = relationship(lazy="joined")

    @property
    def reporting_period(self) -> Period:
        """The period, named as it is named now, whichever code it was kept under."""
        return parse_period(self.period)

    __table_args__ = (
        sa.Index("ix_indicator_snapshots_period_computed_at", "period", "computed_at"),
    )


class IndicatorFigure(Base):
    """One indicator's figures for one closed period, stored by `caremap indicators
    close-periods` so that dashboards and trends read them instead of computing them.

    Unlike a snapshot (a board's frozen copy, kept for good), these are a cache of what a
    live computation gives: a closed period still moves while late records arrive (a
    day-91 outcome is written up to three months on), so the job recomputes the recent
    ones every day, and `definition_key` marks figures computed from a definition that
    has changed since, which readers then compute live instead.
    """

    __tablename__ = "indicator_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60))
    period: Mapped[str] = mapped_column(sa.String(20))  # the financial code: 2025-26-Q3
    kind: Mapped[str] = mapped_column(sa.String(7))  # month, quarter or year
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    # the filters, written as "area=E06000026&strand=urgent_care" ("" for the system)
    filters_key: Mapped[str] = mapped_column(sa.String(300), default="")
    value: Mapped[float | None] = mapped_column(sa.Float)
    numerator: Mapped[float | None] = mapped_column(sa.Float)
    denominator: Mapped[float | None] = mapped_column(sa.Float)
    note: Mapped[str | None] = mapped_column(sa.String(200))
    definition_key: Mapped[str] = mapped_column(sa.String(64))
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint(
            "period", "filters_key", "code", name="uq_indicator_figures_period_filters_key_code"
        ),
        sa.Index(
            "ix_indicator_figures_filters_key_kind_start", "filters_key", "kind", "period_start"
        ),
    )


# Nearly every cohort counts only live records (cohorts/rows.py `live`): a join from its
# rows to the live people, with their postcode for the area filter. Without this index
# PostgreSQL read the whole people table (its search columns and all) for each cohort
# to hash the live ids: about 0.9 s an indicator at 450,000 people. With it, each row
# probes a small index-only entry (0.2 s). Declared here, beside what needs it.
ix_people_live_id = sa.Index(
    "ix_people_live_id",
    Person.id,
    postgresql_include=["postcode"],
    postgresql_where=sa.text("status = 'live'"),
    sqlite_where=sa.text("status = 'live'"),
)
