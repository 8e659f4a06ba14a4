import datetime as dt

import pytest

from caremap.core.errors import DomainError
from caremap.indicators.periods import last_complete, parse_period, period_containing
from caremap.indicators.queries import period_choices


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2025-26", "year", dt.date(2025, 4, 1), dt.date(2026, 3, 31)),
        ("2025-26-Q1", "quarter", dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        ("2025-26 Q3", "quarter", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025-26-q4", "quarter", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        # the calendar form, still read: the same three months
        ("2025-Q4", "quarter", dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        ("2025-q1", "quarter", dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2025-12", "month", dt.date(2025, 12, 1), dt.date(2025, 12, 31)),
    ],
)
def test_periods(code, kind, start, end):
    period = parse_period(code)
    assert (period.kind, period.start, period.end) == (kind, start, end)


@pytest.mark.parametrize(
    ("code", "named", "label"),
    [
        ("2025-26-Q1", "2025-26 Q1", "2025-26 Q1 (April–June 2025)"),
        ("2025-Q4", "2025-26 Q3", "2025-26 Q3 (October–December 2025)"),
        ("2026-Q1", "2025-26 Q4", "2025-26 Q4 (January–March 2026)"),
        ("2025-26", "2025-26", "2025-26 (April 2025 – March 2026)"),
        ("2025-10", "October 2025", "October 2025"),
    ],
)
def test_quarters_are_named_by_the_financial_year(code, named, label):
    period = parse_period(code)
    assert (period.name, period.label) == (named, label)
    # one code for a period, whichever form it was asked for in
    assert parse_period(period.code) == period


def test_the_calendar_code_of_a_quarter_is_kept_as_an_alias():
    """Snapshots kept before quarters were financial carry the calendar code."""
    assert parse_period("2025-26-Q3").codes == ("2025-26-Q3", "2025-Q4")
    assert parse_period("2025-26-Q4").codes == ("2025-26-Q4", "2026-Q1")
    assert parse_period("2025-26").codes == ("2025-26",)


@pytest.mark.parametrize(
    "code",
    ["", "2025", "2025-13", "2025-27", "2025-Q5", "25-26", "x", "2025-27-Q1", "2025-26-Q0"],
)
def test_bad_periods_name_the_field(code):
    with pytest.raises(DomainError) as error:
        parse_period(code)
    assert error.value.field == "period"


def test_trend_goes_back_across_years():
    codes = [p.code for p in parse_period("2026-02").trend(4)]
    assert codes == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [p.code for p in parse_period("2026-27-Q1").trend(3)] == [
        "2025-26-Q3",
        "2025-26-Q4",
        "2026-27-Q1",
    ]
    assert parse_period("2025-26").previous().code == "2024-25"


def test_containing_and_last_complete():
    assert period_containing(dt.date(2026, 3, 31), "year").code == "2025-26"
    assert period_containing(dt.date(2026, 4, 1), "year").code == "2026-27"
    assert period_containing(dt.date(2026, 4, 1), "quarter").code == "2026-27-Q1"
    assert period_containing(dt.date(2026, 3, 31), "quarter").code == "2025-26-Q4"
    assert last_complete("year", today=dt.date(2026, 11, 23)).code == "2025-26"
    assert last_complete("quarter", today=dt.date(2026, 11, 23)).code == "2026-27-Q2"


def test_the_period_choices_name_quarters_by_the_financial_year():
    choices = dict(period_choices(today=dt.date(2026, 5, 10)))
    assert choices["2026-27-Q1"] == "Quarter 2026-27 Q1 (April–June 2026) – to date"
    assert choices["2025-26-Q4"] == "Quarter 2025-26 Q4 (January–March 2026)"
    assert choices["2026-27"] == "Financial year 2026-27 (April 2026 – March 2027) – to date"
    assert not any("-Q" in code and code.count("-") == 1 for code in choices)  # no calendar codes
