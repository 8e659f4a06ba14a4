"""The periods the returns cover: CLD's rolling 12 months ending with a quarter, and SAC's
financial year. Both read the indicators' period codes, so a quarter is named the same
way on every page and command (2026-Q2, or 2026-27-Q1: April to June 2026)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from caremap.core.errors import DomainError
from caremap.indicators.periods import Period, parse_period


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    @classmethod
    def ending_with(cls, period: Period) -> Window:
        """The 12 months ending on the period's last day: "a rolling 12-month reporting
        period", submitted every quarter (DHSC, 3-submission-selection.md)."""
        after = period.end + dt.timedelta(days=1)
        return cls(dt.date(after.year - 1, after.month, after.day), period.end)

    @property
    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def quarter(code: str | None, *, field: str = "quarter") -> Period:
    """A quarter for the CLD return, or an error naming the field and the reason."""
    try:
        period = parse_period(code or "")
    except DomainError:
        period = None
    if period is None or period.kind != "quarter":
        raise DomainError(
            "must be a quarter like 2026-Q2 (April to June 2026) or 2026-27-Q1", field=field
        )
    return period


def financial_year(code: str | None, *, field: str = "year") -> Period:
    """A financial year for the SAC return, or an error naming the field and the reason."""
    try:
        period = parse_period(code or "")
    except DomainError:
        period = None
    if period is None or period.kind != "year":
        raise DomainError("must be a financial year like 2025-26 (April to March)", field=field)
    return period
