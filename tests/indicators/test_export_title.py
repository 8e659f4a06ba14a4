"""Issue 18: a board's export says what it is (indicator set, period, filters, when, by
whom) in the workbook, in words, with figures rounded as the pages show them; the CSV
stays one header line and rows, as its JSON Schema says, so a program can read it."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from caremap.core.extensions import db
from caremap.indicators import exports
from caremap.indicators.periods import parse_period
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD

Q = f"period={PERIOD}&area={AREA}"


@pytest.fixture
def city(app):
    with app.app_context():
        hand_counted.build()
        db.session.commit()


def test_the_workbook_opens_with_its_title_block_and_readable_headers(app, api, city):
    response = api("manager").get(f"/indicators/export?format=xlsx&{Q}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["Indicators"]
    title = {
        row[0]: row[1]
        for row in sheet.iter_rows(max_row=exports.XLSX_HEADER_ROW - 2, values_only=True)
    }
    assert title["Period"] == parse_period(PERIOD).label
    assert title["Filters"] == f"area {AREA}"
    assert title["Produced by"] == "Test Manager"  # tests/conftest.py names each role's user
    assert "ASCOF" in title["Indicator set"]
    assert title["Produced"][:1].isdigit()
    blank = next(sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW - 1, values_only=True))
    assert not any(blank)
    header = next(sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW, values_only=True))
    assert header[:3] == ("Code", "Indicator", "Framework")
    rows = sheet.iter_rows(min_row=exports.XLSX_HEADER_ROW + 1, values_only=True)
    by_code = {row[0]: dict(zip(exports.COLUMNS, row, strict=True)) for row in rows}
    ascof = by_code["ASCOF-2B"]
    assert ascof["unit"] == "%" and ascof["higher_is_better"] == "Yes"
    assert ascof["rag"] in {"Green", "Amber", "Red", "Not rated"}


def test_every_figure_in_the_workbook_and_csv_has_at_most_one_decimal_place(app, api, city):
    manager = api("manager")
    text = manager.get(f"/indicators/export?format=csv&{Q}").get_data(as_text=True)
    lines = text.splitlines()
    assert lines[0].split(",") == list(exports.COLUMNS)  # no title lines before the header
    for row in csv.DictReader(io.StringIO(text)):
        for column in exports.ROUNDED:
            if row[column]:
                assert len(row[column].partition(".")[2]) <= 1, (column, row[column])
    sheet = load_workbook(io.BytesIO(manager.get(f"/indicators/export?format=xlsx&{Q}").data))
    for row in sheet.active.iter_rows(min_row=exports.XLSX_HEADER_ROW + 1, values_only=True):
        figures = dict(zip(exports.COLUMNS, row, strict=True))
        for column in exports.ROUNDED:
            if isinstance(figures[column], float):
                assert round(figures[column], 1) == figures[column], (column, figures[column])


@pytest.mark.parametrize(
    ("figure", "shown"), [(None, None), (82.46, 82.5), (82.0, 82), (3, 3), (0.04, 0)]
)
def test_as_displayed_rounds_as_the_pages_write(figure, shown):
    assert exports.as_displayed(figure) == shown
    assert type(exports.as_displayed(figure)) is type(shown)
