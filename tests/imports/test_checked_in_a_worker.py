"""Rows checked in a worker process come back exactly as rows checked in place: same
lines, same problems, same values, in file order (the command line checks in a worker)."""

from __future__ import annotations

import io
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

import pytest

from caremap.imports import runs
from caremap.imports.enums import ImportKind
from caremap.imports.formats import PEOPLE_COLUMNS, check_person_row, required_people_columns
from tests import factories
from tests.imports.helpers import csv_bytes, person_row


def extract() -> bytes:
    rows = [person_row(str(n)) for n in range(1, 1_300)]
    rows[10]["date_of_birth"] = "17/05/1941"  # a bad date
    rows[600]["family_name"] = ""  # a required field left blank
    rows[1_250]["nhs_number"] = "123"  # a bad NHS number
    text = csv_bytes(rows, PEOPLE_COLUMNS).decode()
    lines = text.splitlines()
    lines.insert(300, "")  # a blank line
    lines.insert(700, "too,few,cells")  # a row of the wrong shape
    return ("\n".join(lines) + "\n").encode()


def read(ctx_run, checker=None) -> list[tuple]:
    rows = runs.read_rows(
        run=ctx_run,
        file=io.BytesIO(extract()),
        columns=PEOPLE_COLUMNS,
        required=required_people_columns(),
        check=check_person_row,
        progress=None,
        checker=checker,
    )
    return [
        (row.line, [(p.field, p.reason) for p in row.problems], row.values, bytes_read)
        for row, bytes_read in rows
    ]


@pytest.fixture
def run(ctx):
    admin = factories.staff("admin")
    return runs.start_run(actor=admin, kind=ImportKind.PEOPLE, filename="x.csv", sha256="0" * 64)


def test_a_worker_checks_rows_as_this_process_would(run):
    in_place = read(run)
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as checker:
        in_worker = read(run, checker)
    assert in_worker == in_place
    problems = {line: found for line, found, _, _ in in_place if found}
    assert len(problems) == 4, problems  # the three bad rows and the misshapen one
    assert len(in_place) == 1_299 + 1  # every person row and the misshapen one; not the blank
