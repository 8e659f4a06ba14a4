"""Reporting periods: a month (2025-10), a quarter of a UK financial year (2025-26-Q3,
named "2025-26 Q3": October–December 2025) or a financial year, April to March (2025-26).

Quarters are the financial year's, as councils and the NHS report them: Q1 is April–June,
Q4 is January–March of the following calendar year. The older calendar form of a quarter
(2025-Q4, October–December 2025) is still read, on the command line, in links and in
snapshots kept before, and means the same three months; it is written only in the
financial form. Every period is a run of local calendar days: where its bounds meet a
stored timestamp they are local midnights (caremap.core.clock), not UTC ones.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from caremap.core.errors import DomainError

_FINANCIAL_QUARTER = re.compile(r"^(\d{4})[-/](\d{2})\s*-?\s*Q([1-4])$")
_CALENDAR_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_OR_MONTH = re.compile(r"^(\d{4})[-/](\d{2})$")


def _financial_year_of(day: dt.date) -> int:
    """The calendar year a financial year starts in: 1 April 2026 is in 2026-27."""
    return day.year if day.month >= 4 else day.year - 1


def _year_name(first_year: int) -> str:
    return f"{first_year}-{(first_year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    code: str  # what links, files, exports and snapshots carry: 2025-26, 2025-26-Q3, 2025-10
    kind: str  # "month", "quarter" or "year"
    start: dt.date
    end: dt.date  # the last day, inclusive

    @property
    def name(self) -> str:
        """What a person calls it: "2025-26 Q3", "2025-26", "October 2025"."""
        if self.kind == "month":
            return self.start.strftime("%B %Y")
        if self.kind == "quarter":
            return f"{_year_name(_financial_year_of(self.start))} Q{self.quarter}"
        return self.code

    @property
    def label(self) -> str:
        """The name with its months, for headings and exports."""
        if self.kind == "month":
            return self.name
        if self.kind == "quarter":  # always within one calendar year
            return f"{self.name} ({self.start:%B}–{self.end:%B %Y})"
        return f"{self.name} ({self.start:%B %Y} – {self.end:%B %Y})"

    @property
    def short(self) -> str:
        """A chart axis's few characters: "Oct 25", "25-26 Q3", "2025-26"."""
        if self.kind == "month":
            return self.start.strftime("%b %y")
        if self.kind == "quarter":
            return self.name[2:]
        return self.code

    @property
    def quarter(self) -> int | None:
        """1 to 4 within the financial year (Q1 April–June), for a quarter."""
        if self.kind != "quarter":
            return None
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code this period has been written as: a quarter also by its older
        calendar code (2025-Q4 for 2025-26-Q3), so snapshots kept before are found."""
        if self.kind != "quarter":
            return (self.code,)
        return (self.code, f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}")

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


def _financial_quarter(first_year: int, quarter: int) -> Period:
    """Quarter 1–4 of the financial year starting in April of `first_year`."""
    month = 3 * quarter + 1  # 4, 7, 10, 13
    first = _month(first_year + (month - 1) // 12, (month - 1) % 12 + 1)
    last_month = month + 2
    last = _month(first_year + (last_month - 1) // 12, (last_month - 1) % 12 + 1)
    return Period(f"{_year_name(first_year)}-Q{quarter}", "quarter", first.start, last.end)


def _financial_year(year: int) -> Period:
    return Period(_year_name(year), "year", dt.date(year, 4, 1), dt.date(year + 1, 3, 31))


def parse_period(code: str) -> Period:
    """'2025-26' (financial year), '2025-26-Q3' or '2025-26 Q3' (its third quarter,
    October–December 2025), '2025-10' (a month); '2025-Q4', the calendar form of the
    same quarter, is read too."""
    text = (code or "").strip().upper()
    if match := _FINANCIAL_QUARTER.match(text):
        year, second = int(match[1]), int(match[2])
        if second == (year + 1) % 100:
            return _financial_quarter(year, int(match[3]))
    elif match := _CALENDAR_QUARTER.match(text):
        return period_containing(dt.date(int(match[1]), 3 * int(match[2]), 1), "quarter")
    elif match := _YEAR_OR_MONTH.match(text):
        year, second = int(match[1]), int(match[2])
        if second == (year + 1) % 100:
            return _financial_year(year)
        if 1 <= second <= 12 and "/" not in text:
            return _month(year, second)
    raise DomainError(
        "must be a financial year like 2025-26, a quarter of one like 2025-26-Q3 "
        "(October–December 2025) or a month like 2025-10",
        field="period",
    )


def period_containing(day: dt.date, kind: str) -> Period:
    """The month, financial quarter or financial year (April to March, as councils
    report) of a local calendar day."""
    if kind == "month":
        return _month(day.year, day.month)
    if kind == "quarter":
        return _financial_quarter(_financial_year_of(day), (day.month - 4) % 12 // 3 + 1)
    if kind == "year":
        return _financial_year(_financial_year_of(day))
    raise ValueError(kind)


def last_complete(kind: str, *, today: dt.date) -> Period:
    """The newest period of this kind that has ended by today."""
    return period_containing(today, kind).previous()
