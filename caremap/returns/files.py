"""The files a council submits: the CLD CSV, and the SAC tables as xlsx (one sheet a
table) and CSV (one line a cell)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Font

from caremap.returns import rules
from caremap.returns.cld import EventRow
from caremap.returns.sac import SacReturn


def write_cld(rows: Iterable[EventRow], out: IO[str]) -> int:
    """The header of the specification's field names, then one line an event (CSV,
    UTF-8, as docs/returns.md says: the layout is not specified beyond the fields)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(rules.field_names())
    count = 0
    for row in rows:
        writer.writerow(row.values)
        count += 1
    return count


def write_sac_csv(result: SacReturn, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Table", "Row", "Column", "Count"])
    for code, table in result.tables.items():
        for _, row_label, counts in result.grid(code):
            for (_, column_label), count in zip(table.columns, counts, strict=True):
                writer.writerow([code, row_label.strip(), column_label, count])


def sac_workbook(result: SacReturn) -> bytes:
    """One sheet a table, as the collection lays it out: its title, the column heads,
    then a row a category."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for code, table in result.tables.items():
        sheet = book.create_sheet(code)
        sheet.append([f"{code}: {table.title}"])
        sheet["A1"].font = bold
        sheet.append([f"Year {result.year.label}"])
        sheet.append(["", *[label for _, label in table.columns]])
        for cell in sheet[3]:
            cell.font = bold
        for _, label, counts in result.grid(code):
            sheet.append([label.strip(), *counts])
        if table.note:
            sheet.append([])
            sheet.append([table.note])
        sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
