"""The current ASCOF code beside the strategy's, on the dashboard tile and the indicator's
page, with the definition's source."""

from __future__ import annotations

from caremap.indicators.definitions import definition
from tests.conftest import text_of


def test_the_strategy_code_and_the_current_one_side_by_side(client, login_as):
    login_as("manager")
    dashboard = text_of(client.get("/indicators?period=2025-26"))
    assert "ASCOF-2A-65 (ASCOF 2C now)" in dashboard
    assert "ASCOF-2A-18-64 (ASCOF 2B now)" in dashboard
    assert "ASCOF-1C-DP (ASCOF 3D(2a) now)" in dashboard
    assert "ASCOF-2B (ASCOF" not in dashboard  # the 91-day measure has no current code
    page = text_of(client.get("/indicators/ASCOF-2A-65?period=2025-26"))
    assert "ASCOF-2A-65 (ASCOF 2C now)" in page
    assert "ASCOF, current ASCOF code 2C" in page
    assert "Create_ASCOF_2B2C_2425_Onwards.sql" in page


def test_each_new_definition_names_its_source():
    for code in (
        "ASCOF23-2A",
        "ASCOF23-2E-18-64",
        "ASCOF23-2E-65",
        "NHS-WEEKEND-DISCHARGES",
        "LTS-MAJOR-ADAPTATIONS",
        "CARERS-ASSESSED",
        "CARE-ACT-ADVOCATES",
    ):
        assert definition(code).source, code
