"""The CLD rows from the record, and the national check of each field, hand-counted: one
person whose every event passes, then a row failing each rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from caremap.core import clock
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.longterm.enums import AssessmentKind
from caremap.returns import cld, quality, rules
from caremap.returns.periods import Window, financial_year, quarter
from tests.factories import accept, make_referral
from tests.returns import records
from tests.returns.records import BEFORE_WINDOW, IN_WINDOW, QUARTER


def _rows(*people) -> list[cld.EventRow]:
    ids = {p.id for p in people}
    return [row for row in cld.event_rows(quarter(QUARTER)) if row.person_id in ids]


def _value(row: cld.EventRow, name: str) -> str:
    return row.values[rules.position()[name]]


def _results(row: cld.EventRow) -> dict[str, str | None]:
    return dict(zip(rules.field_names(), rules.validate(row.values), strict=True))


def _answered_referral(found, *, on: dt.date):
    """A hospital discharge referral, accepted by reablement, received and answered on `on`."""
    referral = make_referral(found)
    accept(referral)
    referral.received_at = clock.start_of_day(on) + dt.timedelta(hours=9)
    referral.responded_at = clock.start_of_day(on) + dt.timedelta(hours=15)
    db.session.flush()
    return referral


def test_the_window_is_the_twelve_months_ending_with_the_quarter():
    window = Window.ending_with(quarter("2026-Q2"))
    assert (window.start, window.end) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert Window.ending_with(quarter("2025-26-Q4")) == Window(
        dt.date(2025, 4, 1), dt.date(2026, 3, 31)
    )


@pytest.mark.parametrize("code", ["2026", "2026-Q5", "2025-26", "2026-04", "", "Q2"])
def test_a_quarter_that_is_not_one_is_refused_naming_the_field(code):
    with pytest.raises(DomainError) as refused:
        quarter(code)
    assert refused.value.field == "quarter"
    assert "quarter like 2026-Q2" in refused.value.message


def test_a_year_that_is_not_a_financial_year_is_refused_naming_the_field():
    with pytest.raises(DomainError) as refused:
        financial_year("2025-Q1")
    assert refused.value.field == "year"


def test_every_field_in_the_specification_order_with_its_module(ctx):
    names = rules.field_names()
    assert len(names) == 50
    assert names[:5] == (
        "LA Code",
        "Reporting Period Start Date",
        "Reporting Period End Date",
        "NHS Number",
        "LA Person Unique Identifier",
    )
    assert names[-3:] == ("Unit Cost", "Cost Frequency (Unit Type)", "Planned units per week")
    rules.check_specification()


def test_a_whole_valid_record_gives_four_valid_events(ctx):
    found = records.person()
    referral = _answered_referral(found, on=IN_WINDOW)
    records.assessment(found)
    records.package(found)
    records.review(found)
    rows = _rows(found)
    assert [_value(r, "Event Type") for r in rows] == ["Request", "Assessment", "Service", "Review"]
    request = rows[0]
    assert _value(request, "Event Reference") == f"REQ-{referral.reference}"
    assert _value(request, "Request: Route of Access") == "Discharge from hospital"
    assert _value(request, "Event Outcome") == "Progress to reablement/ST-Max"
    assert _value(request, "Event Start Date") == IN_WINDOW.isoformat()
    service = rows[2]
    assert _value(service, "Event End Date") == ""
    assert _value(service, "Event Outcome") == "Continuation of support or services"
    assert _value(service, "Unit Cost") == "24.50"
    assert _value(service, "Planned units per week") == "14"
    for row in rows:
        assert _value(row, "LA Code") == "879"
        assert _value(row, "Reporting Period Start Date") == "2025-07-01"
        assert _value(row, "Gender") == "Female"
        assert _value(row, "Has Unpaid Carer") == "Yes"
        failed = {k: v for k, v in _results(row).items() if v in rules.FAILED}
        assert failed == {}, (_value(row, "Event Type"), failed)
    checked = quality.check(rows)
    assert (checked.rows, checked.failed, checked.is_valid) == (4, 0, True)
    # the request's Primary Support Reason applies but is not mandatory; present, so valid
    assert checked.counts["Primary Support Reason"][rules.VALID] == 4
    # Method of Review applies to the review only
    assert sum(checked.counts["Method of Review"].values()) == 1


def test_which_events_fall_in_the_window(ctx):
    found = records.person()
    records.assessment(found, started_on=BEFORE_WINDOW, ended_on=BEFORE_WINDOW)  # ended before
    records.assessment(found, ended_on=None, outcome=None)  # still open: next time
    records.assessment(found)  # counted
    records.package(found, started_on=BEFORE_WINDOW)  # open, so active in the window
    records.package(found, started_on=BEFORE_WINDOW, ended_on=dt.date(2025, 6, 30))  # ended
    records.package(found, started_on=dt.date(2026, 7, 1))  # after the window
    records.review(found, ended_on=dt.date(2026, 7, 1))  # ends after the window
    rows = _rows(found)
    assert [_value(r, "Event Type") for r in rows] == ["Assessment", "Service"]


def test_a_carers_assessment_is_an_unpaid_carers_row_linked_to_the_person_cared_for(ctx):
    cared_for = records.person()
    carer = records.person(born="1970-01-01")
    records.assessment(
        carer,
        kind=AssessmentKind.CARERS,
        hours_caring_per_week=Decimal("35.0"),
        adults_cared_for=1,
        cared_for_person_id=cared_for.id,
    )
    (row,) = _rows(carer)
    assert _value(row, "Client Type") == "Unpaid carer"
    assert _value(row, "Total Hrs Caring per week") == "35"
    assert _value(row, "Adult 1 Linked Person ID") == cared_for.local_ref
    # the service user's own fields do not apply to a carer's row
    assert _value(row, "Dementia") == ""
    results = _results(row)
    assert results["Dementia"] is None
    assert results["No. of adults being cared for"] == rules.VALID


def test_a_row_failing_each_rule(ctx):
    """Each person below breaks one national rule; the counts are hand-counted."""
    # 1. no NHS number: Failed: Blank (Mandatory)
    no_nhs = records.person(nhs_number=None)
    records.assessment(no_nhs)
    # 2. no profile at all: the mandatory person fields are blank
    no_profile = records.person(profile=False)
    records.assessment(no_profile)
    # 3. Release 1 case of a Release 2 value: Failed: Invalid
    old_case = records.person(profile=False)
    records.add_profile(old_case, primary_support_reason="Physical Support: Personal care support")
    records.assessment(old_case)
    # 4. learning disability, aged 30, no employment status: mandatory, blank
    ld = records.person(born="1996-01-01", profile=False)
    records.add_profile(ld, primary_support_reason="Learning disability support")
    records.assessment(ld)
    # 5. a service component off the list; 6. a costed service without its costs
    service = records.person()
    records.package(service, service_component="Home care")
    records.package(service, unit_cost=None, cost_frequency=None, planned_units_per_week=None)
    # ... and a commissioned one, where costs are not asked: passes blank
    records.package(
        service,
        delivery_mechanism="CASSR commissioned support",
        unit_cost=None,
        cost_frequency=None,
        planned_units_per_week=None,
    )
    # 7. a method spelled wrongly; 8. a planned review without outcomes achieved
    records.assessment(service, method="Face-to-face")
    records.review(service, outcomes_achieved=None)
    records.review(service, review_reason="Unplanned: Other", outcomes_achieved=None)  # passes
    # 9. an open service of a person who has died: its end date is then mandatory
    died = records.person()
    died.date_of_death = dt.date(2026, 2, 1)
    records.package(died)
    # 10. a postcode, a GP practice code and a CQC location in the wrong shape
    shapes = records.person()
    shapes.postcode, shapes.gp_practice_code = "PL4", "12345"
    records.package(shapes, provider_cqc_location_id="123456")
    db.session.flush()

    rows = _rows(no_nhs, no_profile, old_case, ld, service, died, shapes)
    checked = quality.check(rows)

    def count(name: str, result: str) -> int:
        return checked.counts[name][result]

    assert checked.rows == 12
    assert count("NHS Number", rules.BLANK_MANDATORY) == 1
    for name in ("Ethnicity", "Accommodation Status", "Has Unpaid Carer"):
        assert count(name, rules.BLANK_MANDATORY) == 1, name
    # no profile: Client Type is taken as a service user's, so it is written, not blank
    assert count("Client Type", rules.BLANK_MANDATORY) == 0
    assert count("Primary Support Reason", rules.BLANK_MANDATORY) == 1
    assert count("Primary Support Reason", rules.INVALID) == 1
    assert count("Employment Status", rules.BLANK_MANDATORY) == 1
    assert count("Employment Status", rules.BLANK_ALLOWED) == 11
    assert count("Service Component", rules.INVALID) == 1
    for name in ("Unit Cost", "Cost Frequency (Unit Type)", "Planned units per week"):
        assert count(name, rules.BLANK_MANDATORY) == 1, name
        assert count(name, rules.BLANK_ALLOWED) == 1, name
    assert count("Method of Assessment", rules.INVALID) == 1
    assert count("Review Outcomes Achieved", rules.BLANK_MANDATORY) == 1
    assert count("Review Outcomes Achieved", rules.BLANK_ALLOWED) == 1
    assert count("Event End Date", rules.BLANK_MANDATORY) == 1
    # the other open services are not failures: a service may be open
    assert count("Event End Date", rules.BLANK_ALLOWED) == 4
    assert count("Postcode", rules.INVALID) == 1
    assert count("GP Practice Code", rules.INVALID) == 1
    assert count("Provider CQC Location ID", rules.INVALID) == 1
    # every failure is listed against its person and event
    assert {f.person_id for f in checked.failures["Review Outcomes Achieved"]} == {service.id}
    assert {f.name for f in checked.failing_fields()} == {
        "NHS Number",
        "Ethnicity",
        "Accommodation Status",
        "Has Unpaid Carer",
        "Primary Support Reason",
        "Employment Status",
        "Service Component",
        "Unit Cost",
        "Cost Frequency (Unit Type)",
        "Planned units per week",
        "Method of Assessment",
        "Review Outcomes Achieved",
        "Event End Date",
        "Postcode",
        "GP Practice Code",
        "Provider CQC Location ID",
    }


@pytest.mark.parametrize(
    ("number", "valid"),
    [("9434765919", True), ("9434765918", False), ("943476591", False), ("94347659X9", False)],
)
def test_an_nhs_number_needs_its_check_digit(number, valid):
    assert rules.nhs_number_is_valid(number) is valid


@pytest.mark.parametrize(
    ("text", "valid"), [("24.50", True), ("24.505", False), ("abc", False), ("1e3", False)]
)
def test_a_cost_must_cast_to_numeric_18_2(text, valid):
    assert rules.FORMATS["number"](text) is valid
