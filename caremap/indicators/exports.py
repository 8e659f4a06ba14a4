"""The figures of a period as CSV, Excel, JSON or FHIR MeasureReports.

Each function takes the list of IndicatorResult that compute_indicators gives and
returns the file's content; the web pages, the API and `caremap indicators report`
call these same functions, so every export of a period says the same thing, and names
it as the pages do: the code (2025-26-Q3) and the label ("2025-26 Q3 (October–December
2025)"), quarters being the financial year's.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from caremap.indicators.fhir import measure_report_bundle
from caremap.indicators.results import IndicatorResult

COLUMNS = (
    "code",
    "name",
    "framework",
    "period",
    "period_start",
    "period_end",
    "unit",
    "value",
    "numerator",
    "denominator",
    "rag",
    "higher_is_better",
    "comparator",
    "comparator_label",
    "baseline",
    "baseline_label",
    "note",
    # last, so the columns a workbook already reads by position stay where they were
    "period_label",
)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "fhir": "application/fhir+json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "fhir": "fhir.json"}


def _rows(results: Sequence[IndicatorResult]) -> list[dict]:
    return [{column: result.as_dict()[column] for column in COLUMNS} for result in results]


def to_csv(results: Sequence[IndicatorResult]) -> str:
    """One row per indicator; empty cells where there is no figure."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(results):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def to_xlsx(results: Sequence[IndicatorResult]) -> bytes:
    """A workbook with one sheet, 'Indicators': a header row, then one row per indicator."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Indicators"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in _rows(results):
        sheet.append([row[column] for column in COLUMNS])
    sheet.freeze_panes = "A2"
    widths = {"code": 28, "name": 60, "note": 40, "comparator_label": 22, "baseline_label": 22}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = widths.get(
            column, 14
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(results: Sequence[IndicatorResult]) -> str:
    """{"period": ..., "indicators": [...]}: the figures as the API gives them."""
    period = results[0].period if results else None
    return json.dumps(
        {
            "period": period.code if period else None,
            "period_label": period.label if period else None,
            "period_start": period.start.isoformat() if period else None,
            "period_end": period.end.isoformat() if period else None,
            "indicators": [result.as_dict() for result in results],
        },
        indent=2,
    )


def to_measure_reports(results: Sequence[IndicatorResult]) -> str:
    """A FHIR R4 Bundle (collection) of one MeasureReport per indicator, as JSON."""
    return json.dumps(measure_report_bundle(results), indent=2)


def render(format_: str, results: Sequence[IndicatorResult]) -> str | bytes:
    """The figures in one of the formats (csv, xlsx, json, fhir)."""
    writers = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json, "fhir": to_measure_reports}
    return writers[format_](results)
