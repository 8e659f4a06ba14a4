"""The indicator pages: who may open them, the tiles, filters, an indicator's trend,
drill-down, snapshots for the board and (admins) the population denominators."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.audit.models import AuditEvent
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.indicators.models import IndicatorSnapshot, PopulationEstimate
from caremap.indicators.periods import last_complete
from tests.conftest import audit_rows, text_of, user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD

PAGES = [
    "/indicators",
    f"/indicators/ASCOF-2B?period={PERIOD}",
    f"/indicators/ASCOF-2B/people?period={PERIOD}&part=denominator",
    "/indicators/snapshots",
]


@pytest.fixture
def city(app):
    with app.app_context():
        built = hand_counted.build()
        db.session.commit()  # into the test's outer transaction, rolled back afterwards
        return built.names


@pytest.mark.parametrize("role", ["manager", "admin"])
@pytest.mark.parametrize("path", PAGES)
def test_managers_and_admins_open_the_pages(login_as, role, path):
    assert login_as(role).get(path).status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "key_worker", "safeguarding_lead"])
@pytest.mark.parametrize(
    "path", [*PAGES, "/indicators/export?format=csv", "/indicators/populations"]
)
def test_everyone_else_gets_404(login_as, role, path):
    assert login_as(role).get(path).status_code == 404


def test_populations_are_for_admins_only(login_as):
    assert login_as("manager").get("/indicators/populations").status_code == 404


def test_signed_out_is_sent_to_sign_in(client):
    assert client.get("/indicators").status_code == 302


def test_the_nav_shows_indicators_to_managers_and_admins_only(login_as, client, app):
    assert 'href="/indicators"' in login_as("manager").get("/").get_data(as_text=True)
    other = app.test_client()
    login_as("practitioner", with_client=other)
    assert 'href="/indicators"' not in other.get("/").get_data(as_text=True)


def test_dashboard_tiles_show_value_comparator_and_status_in_words(
    login_as, city, app, monkeypatch
):
    monkeypatch.setitem(app.config, "INDICATOR_MIN_PEOPLE", 5)  # the hand-counted city is small
    page = text_of(login_as("manager").get(f"/indicators?period={PERIOD}&area={AREA}"))
    assert "2025-26 (April 2025 – March 2026)" in page
    tile = page[page.index('id="tile-ASCOF-2B"') :][:1500]
    assert "37.5%" in tile and "3 of 8" in tile
    assert "95% confidence interval 13.7% to 69.4%" in tile  # Wilson score
    assert "England 2013/14: 82.5%" in tile
    assert "Status:" in tile and "Red" in tile  # a word, not colour alone
    summary = page[page.index('id="red-summary"') :][:1000]
    assert 'href="#tile-ASCOF-2B"' in summary


def test_a_figure_from_too_few_people_is_not_rated(login_as, city):
    """Default: fewer than 10 people behind a figure shows it, but gives no RAG status."""
    page = text_of(login_as("manager").get(f"/indicators?period={PERIOD}&area={AREA}"))
    tile = page[page.index('id="tile-ASCOF-2B"') :]
    tile = tile[: tile.index("</li>")]
    assert "37.5%" in tile and "Too few to rate" in tile and "fewer than 10 people" in tile
    assert "Status:" not in tile
    rate = page[page.index('id="tile-ASCOF-2A-65"') :][:1500]
    assert "150.0 per 100,000" in rate and "3 in a population of 2,000" in rate
    median = page[page.index('id="tile-REF-DAYS-TO-CONTACT"') :][:1500]
    assert "1.5 days" in median
    assert "Computed from the record as at" in page
    assert "Take a snapshot for the board" in page
    for fmt in ("csv", "xlsx", "json", "fhir"):
        assert f"format={fmt}" in page


def test_dashboard_defaults_to_the_last_complete_financial_year(login_as):
    import datetime as dt

    period = last_complete("year", today=dt.date.today())
    page = text_of(login_as("manager").get("/indicators"))
    assert period.label in page


def test_dashboard_trend_on_the_tiles(login_as, city):
    page = login_as("manager").get(f"/indicators?period={PERIOD}&area={AREA}&trend=quarter")
    assert page.status_code == 200
    assert 'class="caremap-sparkline"' in page.get_data(as_text=True)


def test_a_filter_that_does_not_apply_says_so(login_as, city):
    page = text_of(
        login_as("manager").get(f"/indicators?period={PERIOD}&area={AREA}&strand=urgent_care")
    )
    tile = page[page.index('id="tile-SG-CONCERNS"') :][:1500]
    assert "Not available for this filter." in tile


@pytest.mark.parametrize(
    "query, field",
    [
        ("period=2025", "Period"),
        ("period=2025-13", "Period"),
        ("area=E00000000", "Area"),
        ("strand=nonsense", "Strand"),
    ],
)
def test_bad_filters_are_named(login_as, query, field):
    response = login_as("manager").get(f"/indicators?{query}")
    assert response.status_code == 422
    page = text_of(response)
    assert "There is a problem" in page and field in page


def test_detail_has_definition_chart_table_and_drill_down(login_as, city):
    page = text_of(
        login_as("manager").get(f"/indicators/ASCOF-2B?period={PERIOD}&area={AREA}&trend=month")
    )
    assert "Older people still at home 91 days" in page
    for words in ("Cohort", "Numerator", "Denominator", "Direction", "Higher is better"):
        assert words in page
    assert "England 2013/14: 82.5% (source: Community Based Care strategy" in page
    assert "Plymouth 2013/14: 80.8%" in page
    assert '<svg class="caremap-chart"' in page and "<title" in page and "<desc" in page
    table = page[page.index('id="trend-table"') :]
    assert table.count('scope="row"') == 12
    assert "December 2025" in table and "March 2026" in table
    assert "/indicators/ASCOF-2B/people?" in page


def test_detail_of_an_unknown_indicator_is_404(login_as):
    assert login_as("manager").get("/indicators/NOPE").status_code == 404


def test_manager_drill_down_is_counts_only_and_audited(app, login_as, city):
    response = login_as("manager").get(
        f"/indicators/ASCOF-2B/people?period={PERIOD}&area={AREA}&part=denominator"
    )
    page = text_of(response)
    assert "8 people in the denominator" in page
    assert "8 people you have no relationship with: counts only" in page
    assert "Handcount" not in page  # nobody named
    with app.app_context():
        manager = user("manager")
        rows = audit_rows(app, action="indicators.drill_down", actor_id=manager.id)
    summary = [r for r in rows if r.person_id is None]
    assert len(summary) == 1
    assert summary[0].changes["code"] == "ASCOF-2B"
    assert summary[0].changes["counts"] == {"total": 8, "related": 0, "shown": 0, "others": 8}
    assert [r for r in rows if r.person_id is not None] == []


def test_related_worker_sees_their_own_people_by_name(app, login_as, city):
    # the hand-counted people were registered by the first user's team; give the
    # manager's team an open episode with one person in the cohort instead
    with app.app_context():
        manager = user("manager")
        home = db.session.scalar(sa.select(Episode).where(Episode.person_id == city["home80"]))
        home.service_id = manager.team.service_id  # an open episode of the manager's service
        db.session.commit()
    response = login_as("manager").get(
        f"/indicators/ASCOF-2B/people?period={PERIOD}&area={AREA}&part=numerator"
    )
    page = text_of(response)
    assert "home80 Handcount" in page
    assert "And 2 people you have no relationship with: counts only" in page
    with app.app_context():
        reads = audit_rows(app, action="indicators.drill_down", person_id=city["home80"])
    assert len(reads) == 1


def test_bad_drill_down_part_is_named(login_as):
    response = login_as("manager").get(f"/indicators/ASCOF-2B/people?period={PERIOD}&part=all")
    assert response.status_code == 422
    assert "part" in text_of(response)


def test_snapshot_then_dashboard_reads_it_and_shows_what_changed(app, login_as, city):
    c = login_as("manager")
    response = c.post(
        "/indicators/snapshots",
        data={"period": PERIOD, "area": AREA, "label": "Board, December"},
    )
    assert response.status_code == 302
    with app.app_context():
        kept = db.session.scalar(
            sa.select(IndicatorSnapshot).order_by(IndicatorSnapshot.id.desc()).limit(1)
        )
        snapshot_id = kept.id
        assert kept.label == "Board, December" and kept.filters == {"area": AREA}
    page = text_of(c.get(f"/indicators?period={PERIOD}&area={AREA}"))
    assert "Stored figures, as at" in page and "Recompute now" in page
    assert "Board, December" in page

    listing = text_of(c.get("/indicators/snapshots"))
    assert "Board, December" in listing

    frozen = text_of(c.get(f"/indicators/snapshots/{snapshot_id}"))
    assert "37.5%" in frozen and "What has changed since" in frozen

    with app.app_context():  # a late day-91 outcome moves ASCOF 2B
        late = db.session.scalar(sa.select(Episode).where(Episode.person_id == city["notrecorded"]))
        late.day91_outcome = "at_home"
        db.session.commit()
    changes = text_of(c.get(f"/indicators/snapshots/{snapshot_id}?changes=1"))
    card = changes[changes.index('id="change-ASCOF-2B"') :][:3000]
    assert "37.5%" in card and "50.0%" in card
    assert "Now in the numerator" in card
    assert "1 person you have no relationship with (counts only)" in card
    assert "notrecorded" not in changes


def test_population_edit_saves_and_is_audited(app, login_as, city):
    with app.app_context():
        band = db.session.scalar(
            sa.select(PopulationEstimate).where(
                PopulationEstimate.area_code == AREA, PopulationEstimate.age_from == 65
            )
        )
        band_id, version = band.id, band.version
    c = login_as("admin")
    listing = text_of(c.get("/indicators/populations"))
    assert "Hand-counted test area" in listing and "65 and over" in listing
    assert c.get(f"/indicators/populations/{band_id}").status_code == 200
    response = c.post(
        f"/indicators/populations/{band_id}",
        data={"population": "2500", "source": "ONS mid-2025, revised", "version": version},
    )
    assert response.status_code == 302
    with app.app_context():
        band = db.session.get(PopulationEstimate, band_id)
        assert (band.population, band.source) == (2500, "ONS mid-2025, revised")
        row = audit_rows(app, action="indicators.population_update")[-1]
        assert row.changes["before"]["population"] == 2000
        assert row.changes["after"]["population"] == 2500
    page = text_of(login_as("manager").get(f"/indicators?period={PERIOD}&area={AREA}"))
    assert "120.0 per 100,000" in page  # 3 admissions in 2,500


def test_population_edit_refuses_a_negative_and_changes_nothing(app, login_as, city):
    with app.app_context():
        band = db.session.scalar(
            sa.select(PopulationEstimate).where(PopulationEstimate.area_code == AREA)
        )
        band_id, version, before = band.id, band.version, band.population
    response = login_as("admin").post(
        f"/indicators/populations/{band_id}",
        data={"population": "-5", "source": "typo", "version": version},
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Population must be 0 or more" in page
    with app.app_context():
        assert db.session.get(PopulationEstimate, band_id).population == before
        assert audit_rows(app, action="indicators.population_update") == []


def test_population_edit_with_a_stale_version_conflicts(app, login_as, city):
    with app.app_context():
        band = db.session.scalar(
            sa.select(PopulationEstimate).where(PopulationEstimate.area_code == AREA)
        )
        band_id, version = band.id, band.version
    c = login_as("admin")
    first = c.post(
        f"/indicators/populations/{band_id}",
        data={"population": "2100", "source": "first", "version": version},
    )
    assert first.status_code == 302
    second = c.post(
        f"/indicators/populations/{band_id}",
        data={"population": "2200", "source": "second", "version": version},
    )
    assert second.status_code == 409
    page = text_of(second)
    assert "changed since you opened it" in page
    assert 'value="2200"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.get(PopulationEstimate, band_id).population == 2100


def test_every_drill_down_and_export_is_audited(app, login_as, city):
    c = login_as("manager")
    c.get(f"/indicators/export?format=csv&period={PERIOD}&area={AREA}")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "indicators.export")
        ).all()
        assert [r.changes for r in rows] == [
            {"format": "csv", "period": PERIOD, "filters": {"area": AREA}}
        ]


def test_dashboard_from_a_snapshot_runs_a_fixed_number_of_queries(
    app, login_as, city, count_queries
):
    c = login_as("manager")
    c.post("/indicators/snapshots", data={"period": PERIOD, "area": AREA})
    with count_queries() as statements:
        response = c.get(f"/indicators?period={PERIOD}&area={AREA}")
    assert response.status_code == 200 and "Stored figures" in text_of(response)
    # the user, the filter choices (strands, services, areas), checking the filters,
    # the newest snapshot, its figures: none of them per indicator
    assert len(statements) <= 12, statements
