"""`caremap indicators report|snapshot|changes` on the hand-counted city."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.cli import cli
from caremap.core.extensions import db
from caremap.indicators import exports
from caremap.indicators.definitions import definitions
from caremap.indicators.models import IndicatorSnapshot
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD


@pytest.fixture
def runner(app, ctx):
    hand_counted.build()
    return app.test_cli_runner()


def report(runner, *extra):
    return runner.invoke(cli, ["indicators", "report", "--period", PERIOD, "--area", AREA, *extra])


def test_csv_and_json_print_the_same_figures(runner):
    printed = report(runner)
    assert printed.exit_code == 0, printed.output
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(printed.output))}
    assert float(rows["ASCOF-2B"]["value"]) == 37.5
    as_json = report(runner, "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    figures = json.loads(as_json.output)
    ascof_2b = next(i for i in figures["indicators"] if i["code"] == "ASCOF-2B")
    assert (ascof_2b["numerator"], ascof_2b["denominator"]) == (3, 8)
    exports = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "indicators.export")
    ).all()
    assert [e.changes["format"] for e in exports] == ["csv", "json"]


def test_excel_and_fhir_are_written_to_files(runner, tmp_path):
    workbook = tmp_path / "board.xlsx"
    written = report(runner, "--format", "xlsx", "--out", str(workbook))
    assert written.exit_code == 0, written.output
    sheet = openpyxl.load_workbook(workbook).active
    codes = [
        row[0] for row in sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW + 1, values_only=True)
    ]
    assert sheet["A6"].value == "Produced by"
    assert sheet["B6"].value == "the command line (caremap indicators)"
    assert "ASCOF-2B" in codes and len(codes) == len(definitions())
    fhir = tmp_path / "measures.json"
    assert report(runner, "--format", "fhir", "--out", str(fhir)).exit_code == 0
    assert json.loads(fhir.read_text())["resourceType"] == "Bundle"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-27"], "period: must be a financial year"),
        (["--period", PERIOD, "--format", "xlsx"], "out: an Excel workbook must be written"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(runner, args, message):
    result = runner.invoke(cli, ["indicators", "report", *args])
    assert result.exit_code == 2 and message in result.output
    assert not db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "indicators.export")
    )


def test_snapshot_then_changes(runner):
    taken = runner.invoke(
        cli, ["indicators", "snapshot", "--period", PERIOD, "--area", AREA, "--label", "Board"]
    )
    assert taken.exit_code == 0, taken.output
    snapshot = db.session.scalar(sa.select(IndicatorSnapshot).order_by(IndicatorSnapshot.id.desc()))
    assert snapshot.label == "Board" and snapshot.filters == {"area": AREA}
    unchanged = runner.invoke(cli, ["indicators", "changes", str(snapshot.id)])
    assert "Nothing has changed" in unchanged.output
    missing = runner.invoke(cli, ["indicators", "changes", "999999"])
    assert missing.exit_code == 2 and "snapshot_id: there is no snapshot" in missing.output


def test_a_quarter_in_either_form_gives_the_same_figures_named_financially(runner):
    """--period 2025-Q4 (the calendar form, as before) and 2025-26-Q3 or '2025-26 Q3' (the
    financial year's name) are the same October–December 2025, written as 2025-26-Q3."""
    printed = {}
    for form in ("2025-Q4", "2025-26-Q3", "2025-26 Q3"):
        result = runner.invoke(
            cli, ["indicators", "report", "--period", form, "--area", AREA, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        printed[form] = json.loads(result.output)
    assert printed["2025-Q4"] == printed["2025-26-Q3"] == printed["2025-26 Q3"]
    figures = printed["2025-Q4"]
    assert (figures["period"], figures["period_start"], figures["period_end"]) == (
        "2025-26-Q3",
        "2025-10-01",
        "2025-12-31",
    )
    assert figures["period_label"] == "2025-26 Q3 (October–December 2025)"
    rows = csv.DictReader(io.StringIO(report_for(runner, "2025-Q4").output))
    assert {(row["period"], row["period_label"]) for row in rows} == {
        ("2025-26-Q3", "2025-26 Q3 (October–December 2025)")
    }


def report_for(runner, period):
    return runner.invoke(cli, ["indicators", "report", "--period", period, "--area", AREA])
