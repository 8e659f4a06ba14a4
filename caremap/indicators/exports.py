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
from caremap.indicators.formatting import RAG_LABELS, UNIT_LABELS
from caremap.indicators.results import IndicatorResult
from caremap.indicators.title import TITLE_ROWS, About

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

# The workbook's header row: what each column means, for the people reading it at a board.
READABLE_HEADERS = {
    "code": "Code",
    "name": "Indicator",
    "framework": "Framework",
    "period": "Period code",
    "period_start": "Period start",
    "period_end": "Period end",
    "unit": "Unit",
    "value": "Value",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "rag": "RAG status",
    "higher_is_better": "Higher is better",
    "comparator": "Comparator",
    "comparator_label": "Comparator source",
    "baseline": "Baseline",
    "baseline_label": "Baseline source",
    "note": "Note",
    "period_label": "Period",
}
# The sheet's title block takes the rows above a blank row; the table's header comes next.
XLSX_HEADER_ROW = TITLE_ROWS + 2

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "fhir": "application/fhir+json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "json": "json", "fhir": "fhir.json"}


ROUNDED = ("value", "numerator", "denominator", "comparator", "baseline")


def as_displayed(figure: float | None) -> float | int | None:
    """A figure rounded as the pages write it (formatting.format_value): one decimal
    place, a whole number without one; so a board's file never claims more precision
    than the page it was read beside."""
    if figure is None:
        return None
    rounded = round(float(figure), 1)
    return int(rounded) if rounded.is_integer() else rounded


def _rows(results: Sequence[IndicatorResult]) -> list[dict]:
    rows = []
    for result in results:
        row = {column: result.as_dict()[column] for column in COLUMNS}
        rows.append({**row, **{column: as_displayed(row[column]) for column in ROUNDED}})
    return rows


def _readable(row: dict) -> dict:
    """The words a person reads in place of codes: '%', 'Green', 'Yes'."""
    better = row["higher_is_better"]
    return {
        **row,
        "unit": UNIT_LABELS.get(row["unit"], row["unit"]),
        "rag": RAG_LABELS.get(row["rag"] or "", "Not rated"),
        "higher_is_better": None if better is None else ("Yes" if better else "No"),
    }


def to_csv(results: Sequence[IndicatorResult], about: About | None = None) -> str:
    """One row per indicator under the column names a machine reads (the JSON Schema's);
    empty cells where there is no figure; figures rounded as displayed. No title lines:
    a CSV is read by programs, which would take them for rows (docs/indicators.md)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in _rows(results):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def to_xlsx(results: Sequence[IndicatorResult], about: About | None = None) -> bytes:
    """A workbook with one sheet, 'Indicators': the title block (what, which period, which
    filters, when and by whom), a blank row, the readable header row (row XLSX_HEADER_ROW),
    then one row per indicator, figures rounded as displayed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Indicators"
    for label, text in (about or About.unknown()).lines(results):
        sheet.append([label, text])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.append([])
    sheet.append([READABLE_HEADERS[column] for column in COLUMNS])
    for cell in sheet[XLSX_HEADER_ROW]:
        cell.font = Font(bold=True)
    for row in _rows(results):
        shown = _readable(row)
        sheet.append([shown[column] for column in COLUMNS])
    sheet.freeze_panes = f"A{XLSX_HEADER_ROW + 1}"
    widths = {"code": 28, "name": 60, "note": 40, "comparator_label": 22, "baseline_label": 22}
    for index, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=XLSX_HEADER_ROW, column=index).column_letter
        sheet.column_dimensions[letter].width = widths.get(column, 14)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(results: Sequence[IndicatorResult], about: About | None = None) -> str:
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


def to_measure_reports(results: Sequence[IndicatorResult], about: About | None = None) -> str:
    """A FHIR R4 Bundle (collection) of one MeasureReport per indicator, as JSON."""
    return json.dumps(measure_report_bundle(results), indent=2)


def render(
    format_: str, results: Sequence[IndicatorResult], about: About | None = None
) -> str | bytes:
    """The figures in one of the formats (csv, xlsx, json, fhir); `about` is the workbook's
    title block (the JSON and FHIR carry the period themselves, unrounded, for machines)."""
    writers = {"csv": to_csv, "xlsx": to_xlsx, "json": to_json, "fhir": to_measure_reports}
    return writers[format_](results, about)
