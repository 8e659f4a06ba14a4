"""A manager opens the indicators: ASCOF 2B against England's 82.5%, its trend as a chart
and a table, the people behind it (counts only: a manager has no relationships), and an
Excel export. axe-core finds nothing on any page."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from caremap.indicators import exports
from tests.browser.helpers import axe_check, sign_in

AREA, AREA_NAME, DISTRICT = "E99999990", "Browser journey area", "ZZ9"


def _reablement_cohort(live_app) -> str:
    """Four people 65+ discharged into reablement in October–December of the last complete
    financial year: three at home on day 91, one in a care home (75.0%)."""
    from caremap.core.extensions import db
    from caremap.indicators.models import Area, PostcodeDistrict
    from caremap.indicators.periods import last_complete
    from tests.indicators.hand_counted import City

    period = last_complete("year", today=dt.date.today())
    with live_app.app_context():
        if db.session.get(Area, AREA) is None:
            db.session.add(Area(code=AREA, name=AREA_NAME))
            db.session.add(PostcodeDistrict(district=DISTRICT, area_code=AREA))
            db.session.flush()
        city = City()
        discharged = dt.date(period.start.year, 10, 20)
        for n, outcome in enumerate(("at_home", "at_home", "at_home", "in_care_home")):
            pid = city.person(f"Journey{n}", dt.date(1940, 5, 1), postcode=f"{DISTRICT} 1AA")
            city.episode(
                pid,
                "reablement",
                "reablement",
                discharged,
                discharged_on=discharged,
                day91_outcome=outcome,
            )
        db.session.commit()
    return period.code


def test_manager_reads_ascof_2b_drills_down_and_exports(page: Page, live_app):
    period = _reablement_cohort(live_app)

    sign_in(page, "manager")
    page.get_by_role("link", name="Indicators", exact=True).click()
    expect(page.get_by_role("heading", name="Indicators", exact=True)).to_be_visible()
    axe_check(page)

    page.get_by_label("Area").select_option(label=AREA_NAME)
    page.get_by_role("button", name="Show figures").click()
    tile = page.locator("#tile-ASCOF-2B")
    expect(tile).to_contain_text("75.0%")
    expect(tile).to_contain_text("3 of 4")
    expect(tile).to_contain_text("England 2013/14: 82.5%")
    expect(tile).to_contain_text("95% confidence interval 30.1% to 95.4%")
    expect(tile).to_contain_text("Too few to rate")  # 4 people: a board is not misled
    expect(tile).not_to_contain_text("Red")
    axe_check(page)

    tile.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Older people still at home 91 days")).to_be_visible()
    expect(page.locator("svg.caremap-chart")).to_be_visible()
    expect(page.locator("#trend-table tbody tr")).to_have_count(8)
    expect(page.locator("#definition")).to_contain_text("England 2013/14: 82.5%")
    axe_check(page)

    page.get_by_label("Last 12 months").check()
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#trend-table tbody tr")).to_have_count(12)
    axe_check(page)

    page.get_by_role("link", name="The people in the cohort (denominator)").click()
    expect(page.locator("#counts-only")).to_contain_text(
        "4 people you have no relationship with: counts only"
    )
    expect(page.locator("#people")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Older people still at home 91 days").click()
    page.get_by_role("link", name="All indicators").click()
    expect(page.locator("#tile-ASCOF-2B")).to_contain_text("75.0%")
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = info.value
    assert download.suggested_filename == f"caremap-indicators-{period}-{AREA}.xlsx"
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["Indicators"]
    assert sheet["A6"].value == "Produced by" and sheet["B6"].value  # the title block
    first = exports.XLSX_HEADER_ROW + 1
    rows = {row[0]: row for row in sheet.iter_rows(min_row=first, values_only=True)}
    assert rows["ASCOF-2B"][7] == 75.0  # the value column
    axe_check(page)

    page.get_by_label("What is it for? (optional)").fill("Board, December")
    page.get_by_role("button", name="Take a snapshot for the board").click()
    expect(page.get_by_text("Snapshot taken")).to_be_visible()
    expect(page.locator("#row-ASCOF-2B")).to_contain_text("75.0%")
    axe_check(page)
    page.get_by_role("link", name="What has changed since").click()
    expect(page.locator("#no-changes")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Snapshots").click()
    expect(page.locator("#snapshots")).to_contain_text("Board, December")
    axe_check(page)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Indicators").click()
    page.get_by_label("Area").select_option(label=AREA_NAME)
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#figures-source")).to_contain_text("Stored figures, as at")
    expect(page.get_by_role("button", name="Recompute now")).to_be_visible()
    axe_check(page)


def test_admin_corrects_a_population_band(page: Page, live_app):
    from caremap.core.extensions import db
    from caremap.indicators.models import Area, PopulationEstimate

    with live_app.app_context():
        if db.session.get(Area, "E99999991") is None:
            db.session.add(Area(code="E99999991", name="Browser population area"))
            db.session.flush()
            db.session.add(
                PopulationEstimate(
                    area_code="E99999991",
                    year=2025,
                    age_from=65,
                    age_to=None,
                    population=1000,
                    source="test figures",
                )
            )
            db.session.commit()
    sign_in(page, "admin")
    page.goto("/indicators/populations")
    axe_check(page)
    page.get_by_role("link", name="Change Browser population area, 2025, ages 65 and over").click()
    axe_check(page)
    page.get_by_label("Population").fill("-1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Population must be 0 or more")).to_be_visible()
    axe_check(page)
    page.get_by_label("Population").fill("1200")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: Browser population area")).to_be_visible()
    expect(page.locator("#populations")).to_contain_text("1,200")
    axe_check(page)
