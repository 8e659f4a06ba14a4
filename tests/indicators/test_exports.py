"""Exports parse back to the same figures as compute_indicators; FHIR validates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from caremap.core.extensions import db
from caremap.indicators import exports
from caremap.indicators.compute import compute_indicators
from caremap.indicators.fhir import measure_report_bundle, measure_url
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from tests.conftest import audit_rows
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, EXPECTED, PERIOD


@pytest.fixture
def results(ctx):
    hand_counted.build()
    return compute_indicators(period=parse_period(PERIOD), filters=Filters(area=AREA))


def _number(text):
    if text in ("", None):
        return None
    return float(text)


def _figures(results):
    return {r.code: (r.value, r.numerator, r.denominator, r.rag) for r in results}


def test_csv_parses_back_to_the_same_figures(results):
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(results))))
    assert [r["code"] for r in rows] == [r.code for r in results]
    for row, result in zip(rows, results, strict=True):
        assert _number(row["numerator"]) == result.numerator
        assert _number(row["denominator"]) == result.denominator
        assert _number(row["value"]) == exports.as_displayed(result.value)
        assert (row["rag"] or None) == result.rag
        assert row["period"] == PERIOD
    ascof = rows[0]
    assert (ascof["code"], ascof["comparator"], ascof["comparator_label"]) == (
        "ASCOF-2B",
        "82.5",
        "England 2013/14",
    )


def test_xlsx_parses_back_to_the_same_figures(results):
    book = load_workbook(io.BytesIO(exports.to_xlsx(results)))
    sheet = book["Indicators"]
    rows = list(sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW, values_only=True))
    header, body = rows[0], rows[1:]
    assert header == tuple(exports.READABLE_HEADERS[column] for column in exports.COLUMNS)
    by_code = {row[0]: dict(zip(exports.COLUMNS, row, strict=True)) for row in body}
    for result in results:
        row = by_code[result.code]
        assert row["numerator"] == result.numerator
        assert row["denominator"] == result.denominator
        assert row["value"] == exports.as_displayed(result.value)
    assert by_code["ASCOF-2B"]["value"] == pytest.approx(EXPECTED["ASCOF-2B"][2])


def test_json_parses_back_to_the_same_figures(results):
    data = json.loads(exports.to_json(results))
    assert data["period"] == PERIOD and data["period_start"] == "2025-04-01"
    assert {
        i["code"]: (i["value"], i["numerator"], i["denominator"], i["rag"])
        for i in data["indicators"]
    } == _figures(results)


def test_fhir_measure_reports_validate_and_carry_the_figures(results):
    from fhir.resources.R4B.bundle import Bundle

    raw = json.loads(exports.to_measure_reports(results))
    bundle = Bundle.model_validate(raw)
    assert bundle.type == "collection"
    assert len(bundle.entry) == len(results)
    reports = {e.resource.measure: e.resource for e in bundle.entry}
    report = reports[measure_url("ASCOF-2B")]
    assert report.__resource_type__ == "MeasureReport"
    assert (report.status, report.type) == ("complete", "summary")
    assert (str(report.period.start), str(report.period.end)) == ("2025-04-01", "2026-03-31")
    group = report.group[0]
    counts = {p.code.coding[0].code: p.count for p in group.population}
    assert counts == {"initial-population": 8, "numerator": 3, "denominator": 8}
    assert float(group.measureScore.value) == pytest.approx(37.5)
    assert group.measureScore.unit == "%"
    rate = reports[measure_url("ASCOF-2A-65")].group[0]
    assert rate.measureScore.unit == "per 100 000"
    assert float(rate.measureScore.value) == pytest.approx(150.0)
    # a count has a numerator and no denominator
    count = reports[measure_url("SG-CONCERNS")].group[0]
    assert {p.code.coding[0].code for p in count.population} == {"initial-population", "numerator"}


def test_an_indicator_without_a_value_has_no_score_and_still_validates(ctx):
    from fhir.resources.R4B.bundle import Bundle

    results = compute_indicators(
        period=parse_period("2001-02"), filters=Filters(area="E99999998"), codes=["ASCOF-2B"]
    )
    assert results[0].value is None
    raw = json.loads(exports.to_measure_reports(results))
    Bundle.model_validate(raw)
    assert "measureScore" not in raw["entry"][0]["resource"]["group"][0]


def test_a_quarter_is_named_by_the_financial_year_in_every_export(ctx):
    """October–December 2025 asked for in its calendar form is 2025-26 Q3 everywhere:
    the CSV and JSON columns, the workbook and the MeasureReport (a valid one)."""
    from fhir.resources.R4B.bundle import Bundle

    hand_counted.build()
    results = compute_indicators(
        period=parse_period("2025-Q4"), filters=Filters(area=AREA), codes=["SG-CONCERNS"]
    )
    label = "2025-26 Q3 (October–December 2025)"
    [row] = csv.DictReader(io.StringIO(exports.to_csv(results)))
    assert (row["period"], row["period_label"]) == ("2025-26-Q3", label)
    as_json = json.loads(exports.to_json(results))
    assert (as_json["period"], as_json["period_label"]) == ("2025-26-Q3", label)
    assert as_json["indicators"][0]["period_label"] == label
    sheet = load_workbook(io.BytesIO(exports.to_xlsx(results))).active
    first = next(sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW + 1, values_only=True))
    assert dict(zip(exports.COLUMNS, first, strict=True))["period_label"] == label
    raw = json.loads(exports.to_measure_reports(results))
    Bundle.model_validate(raw)
    report = raw["entry"][0]["resource"]
    assert report["id"] == "sg-concerns-2025-26-q3"
    assert report["period"]["extension"] == [
        {
            "url": "https://caremap.example/fhir/StructureDefinition/reporting-period-name",
            "valueString": "2025-26 Q3",
        }
    ]
    assert (report["period"]["start"], report["period"]["end"]) == ("2025-10-01", "2025-12-31")


@pytest.mark.parametrize(
    "fmt, content_type, ending",
    [
        ("csv", "text/csv", ".csv"),
        ("xlsx", "application/vnd.openxmlformats", ".xlsx"),
        ("json", "application/json", ".json"),
        ("fhir", "application/fhir+json", ".fhir.json"),
    ],
)
def test_dashboard_export_downloads_each_format_and_audits_once(
    app, login_as, fmt, content_type, ending
):
    with app.app_context():
        hand_counted.build()
        db.session.commit()
    response = login_as("manager").get(
        f"/indicators/export?format={fmt}&period={PERIOD}&area={AREA}"
    )
    assert response.status_code == 200
    assert response.content_type.startswith(content_type)
    disposition = response.headers["Content-Disposition"]
    assert f'filename="caremap-indicators-{PERIOD}-{AREA}{ending}"' in disposition
    rows = audit_rows(app, action="indicators.export")
    assert [r.changes for r in rows] == [
        {"format": fmt, "period": PERIOD, "filters": {"area": AREA}}
    ]
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.data))["Indicators"]
        codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
        assert "ASCOF-2B" in codes


def test_bad_export_format_is_named(login_as):
    response = login_as("manager").get("/indicators/export?format=pdf")
    assert response.status_code == 422
    assert "format" in response.get_data(as_text=True)


GOLDEN = Path(__file__).parent / "golden" / "ascof_2b_measure_report.json"


def test_measure_report_matches_the_golden_file(results):
    """The MeasureReport of ASCOF 2B for the hand-counted city, at a fixed moment.

    To accept a deliberate change: CAREMAP_UPDATE_GOLDEN=1 pytest this test, and commit."""
    import datetime as dt
    import os

    ascof = [r for r in results if r.code == "ASCOF-2B"]
    bundle = measure_report_bundle(ascof, generated_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC))
    text = json.dumps(bundle, indent=2, sort_keys=True) + "\n"
    if os.environ.get("CAREMAP_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
