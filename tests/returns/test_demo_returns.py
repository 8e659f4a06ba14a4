"""The demo database (`caremap seed demo`, what `make run` serves) produces a CLD file and
SAC tables that agree, out of the box, through the command line.

Every row of the demo passes every national rule, requests included: the synthetic
city and the demo people have the social care profile a council records at first
contact (requesters and assessed carers too), so the national check finds nothing."""

from __future__ import annotations

import csv
import io

from caremap.cli import cli
from caremap.core import clock
from caremap.core.extensions import db
from caremap.indicators.periods import last_complete
from caremap.returns import rules
from tests.conftest import fresh_database_url, make_app, migrate


def test_the_demo_database_makes_a_valid_cld_file_and_sac_tables(tmp_path):
    url = fresh_database_url("demo_returns")
    migrate(url)
    app = make_app(url)
    runner = app.test_cli_runner()
    try:
        seeded = runner.invoke(cli, ["seed", "demo", "--city-people", "500"])
        assert seeded.exit_code == 0, seeded.output
        with app.app_context():
            today = clock.today()
        quarter, year = last_complete("quarter", today=today), last_complete("year", today=today)

        out = tmp_path / "cld.csv"
        made = runner.invoke(cli, ["returns", "cld", "--quarter", quarter.code, "--out", str(out)])
        assert made.exit_code == 0, made.output
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert tuple(rows[0]) == rules.field_names()
        kind = rules.position()["Event Type"]
        assert {row[kind] for row in rows[1:]} == {"Request", "Assessment", "Service", "Review"}
        failed = set()
        for row in rows[1:]:
            for name, result in zip(rules.field_names(), rules.validate(row), strict=True):
                if result in rules.FAILED:
                    failed.add((row[kind], name, result))
        assert failed == set()
        assert "Valid: every field passes." in made.output, made.output

        sac_file = tmp_path / "sac.xlsx"
        tables = runner.invoke(cli, ["returns", "sac", "--year", year.code, "--out", str(sac_file)])
        assert tables.exit_code == 0, tables.output
        assert "differ" not in tables.output and "SG2e counts" not in tables.output
        assert sac_file.stat().st_size > 0
    finally:
        db.state(app).engine.dispose()
