"""Reporting periods: a month (2025-10), a calendar quarter (2025-Q4) or a UK financial
year, April to March (2025-26)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from caremap.core.errors import DomainError

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # "month", "quarter" or "year"
    start: dt.date
    end: dt.date  # the last day, inclusive

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        if self.kind == "quarter":
            return f"{self.start:%b}–{self.end:%b %Y}"
        return f"{self.start.year}/{str(self.end.year)[-2:]} (April–March)"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        return period_containing(self.start - dt.timedelta(days=1), self.kind)

    def trend(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first."""
        periods = [self]
        while len(periods) < count:
            periods.append(periods[-1].previous())
        return periods[::-1]


def _month(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return Period(f"{year}-{month:02d}", "month", start, following - dt.timedelta(days=1))


def _quarter(year: int, quarter: int) -> Period:
    first = _month(year, 3 * quarter - 2)
    last = _month(year, 3 * quarter)
    return Period(f"{year}-Q{quarter}", "quarter", first.start, last.end)


def _financial_year(year: int) -> Period:
    return Period(
        f"{year}-{str(year + 1)[-2:]}", "year", dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    )


def parse_period(code: str) -> Period:
    """'2025-26' (financial year), '2025-Q4' (October–December 2025) or '2025-10'."""
    text = (code or "").strip().upper()
    if match := _QUARTER.match(text):
        return _quarter(int(match[1]), int(match[2]))
    if match := _YEAR.match(text):
        year, second = int(match[1]), int(match[2])
        if second == (year + 1) % 100:
            return _financial_year(year)
        if 1 <= second <= 12:
            return _month(year, second)
    raise DomainError(
        "must be a financial year like 2025-26, a quarter like 2025-Q4 or a month like 2025-10",
        field="period",
    )


def period_containing(day: dt.date, kind: str) -> Period:
    """The month, quarter or financial year (April to March, as councils report) of a day."""
    if kind == "month":
        return _month(day.year, day.month)
    if kind == "quarter":
        return _quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return _financial_year(day.year if day.month >= 4 else day.year - 1)
    raise ValueError(kind)


def last_complete(kind: str, *, today: dt.date) -> Period:
    """The newest period of this kind that has ended by today."""
    return period_containing(today, kind).previous()
