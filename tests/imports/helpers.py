"""Building import files in tests."""

from __future__ import annotations

import csv
import io
from typing import Any

from caremap.imports.formats import EVENT_COLUMNS, PEOPLE_COLUMNS

SYSTEM = "urn:test:council-case-system"


def csv_bytes(rows: list[dict[str, Any]], columns: tuple[str, ...] | list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue().encode()


def people_file(rows: list[dict[str, Any]]) -> io.BytesIO:
    return io.BytesIO(csv_bytes(rows, PEOPLE_COLUMNS))


def events_file(rows: list[dict[str, Any]]) -> io.BytesIO:
    return io.BytesIO(csv_bytes(rows, EVENT_COLUMNS))


def person_row(source_id: str, **values: Any) -> dict[str, Any]:
    return {
        "source_system": SYSTEM,
        "source_id": source_id,
        "given_name": "Morwenna",
        "family_name": f"Importtest{source_id}",
        "date_of_birth": "1941-05-17",
        "postcode": "PL1 2AA",
        **values,
    }
