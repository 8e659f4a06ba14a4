"""/api/v1/indicators: figures, one indicator, its people, exports and snapshots."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.indicators import exports
from caremap.indicators.compute import compute_indicators
from caremap.indicators.periods import parse_period
from caremap.indicators.results import Filters
from tests.conftest import audit_rows
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD

Q = f"period={PERIOD}&area={AREA}"


@pytest.fixture
def city(app):
    with app.app_context():
        built = hand_counted.build()
        db.session.commit()
        return built.names


@pytest.mark.parametrize("role", ["practitioner", "key_worker", "safeguarding_lead"])
@pytest.mark.parametrize(
    "path",
    [
        "/indicators",
        "/indicators/ASCOF-2B",
        "/indicators/ASCOF-2B/people",
        "/indicators/export?format=json",
        "/indicators/snapshots",
    ],
)
def test_only_managers_and_admins(api, role, path):
    assert api(role).get(path).status_code == 404


def test_figures_match_compute_indicators(app, api, city):
    response = api("manager").get(f"/indicators?{Q}")
    assert response.status_code == 200
    body = response.json
    assert body["source"] == "live" and body["filters"] == {"area": AREA}
    with app.app_context():
        expected = compute_indicators(period=parse_period(PERIOD), filters=Filters(area=AREA))
    got = {
        i["code"]: (i["value"], i["numerator"], i["denominator"], i["rag"])
        for i in body["indicators"]
    }
    assert got == {r.code: (r.value, r.numerator, r.denominator, r.rag) for r in expected}
    ascof = body["indicators"][0]
    assert ascof["value_text"] == "37.5%" and ascof["comparator_label"] == "England 2013/14"


@pytest.mark.parametrize(
    "query, field",
    [("period=2025", "period"), ("area=E00000000", "area"), ("strand=x", "strand")],
)
def test_bad_query_is_422_naming_the_field(api, query, field):
    response = api("manager").get(f"/indicators?{query}")
    assert response.status_code == 422
    assert field in response.json["errors"]["query"]


def test_one_indicator_with_definition_and_trend(api, city):
    response = api("manager").get(f"/indicators/ASCOF-2B?{Q}&trend=month")
    assert response.status_code == 200
    body = response.json
    assert body["definition"]["comparator"]["value"] == 82.5
    assert body["indicator"]["value"] == 37.5
    assert len(body["trend"]) == 12
    assert body["trend"][-1]["period"] == "2026-03"
    assert api("manager").get("/indicators/NOPE").status_code == 404
    assert api("manager").get("/indicators/ASCOF-2B?trend=week").status_code == 422


def test_people_counts_only_for_a_manager_and_audited(app, api, city):
    response = api("manager").get(f"/indicators/ASCOF-2B/people?{Q}&part=numerator")
    assert response.status_code == 200
    body = response.json
    assert (body["total"], body["related_total"], body["others"], body["people"]) == (3, 0, 3, [])
    rows = audit_rows(app, action="indicators.drill_down")
    assert len(rows) == 1 and rows[0].changes["part"] == "numerator"


def test_people_named_for_an_admin(app, api, city):
    body = api("admin").get(f"/indicators/ASCOF-2B/people?{Q}&part=numerator").json
    assert sorted(p["name"] for p in body["people"]) == [
        "home80 Handcount",
        "newyearseve Handcount",
        "turns65 Handcount",
    ]
    reads = [r for r in audit_rows(app, action="indicators.drill_down") if r.person_id]
    assert sorted(r.person_id for r in reads) == sorted(p["id"] for p in body["people"])


def test_people_bad_part_is_422(api):
    response = api("manager").get("/indicators/ASCOF-2B/people?part=everyone")
    assert response.status_code == 422
    assert "part" in response.json["errors"]["query"]


def test_export_formats(api, city):
    xlsx = api("manager").get(f"/indicators/export?format=xlsx&{Q}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data))["Indicators"]
    assert sheet.cell(row=exports.XLSX_HEADER_ROW + 1, column=1).value == "ASCOF-2B"
    fhir = api("manager").get(f"/indicators/export?format=fhir&{Q}")
    assert json.loads(fhir.data)["resourceType"] == "Bundle"
    bad = api("manager").get("/indicators/export?format=doc")
    assert bad.status_code == 422 and "format" in bad.json["errors"]["query"]


def test_snapshots_take_list_read_and_compare(app, api, city):
    manager = api("manager")
    taken = manager.post(
        "/indicators/snapshots", json={"period": PERIOD, "area": AREA, "label": "Board"}
    )
    assert taken.status_code == 201, taken.json
    snapshot_id = taken.json["id"]
    assert taken.json["indicators"][0]["value"] == 37.5
    listed = manager.get(f"/indicators/snapshots?period={PERIOD}").json
    assert listed[0]["id"] == snapshot_id and listed[0]["label"] == "Board"
    assert manager.get(f"/indicators?{Q}").json["source"] == "snapshot"
    assert manager.get(f"/indicators?{Q}&live=true").json["source"] == "live"
    with app.app_context():
        late = db.session.scalar(sa.select(Episode).where(Episode.person_id == city["notrecorded"]))
        late.day91_outcome = "at_home"
        db.session.commit()
    read = manager.get(f"/indicators/snapshots/{snapshot_id}?changes=1").json
    change = {c["code"]: c for c in read["changes"]}["ASCOF-2B"]
    assert change["before"]["value"] == 37.5 and change["after"]["value"] == 50.0
    assert change["added_to_numerator"] == {"count": 1, "people": []}  # not related: a count
    admin_view = api("admin").get(f"/indicators/snapshots/{snapshot_id}?changes=1").json
    named = {c["code"]: c for c in admin_view["changes"]}["ASCOF-2B"]["added_to_numerator"]
    assert named["people"] == [{"id": city["notrecorded"], "name": "notrecorded Handcount"}]
    assert manager.get("/indicators/snapshots/999999").status_code == 404


def test_snapshot_needs_a_period(api):
    response = api("manager").post("/indicators/snapshots", json={"label": "x"})
    assert response.status_code == 422
    assert "period" in response.json["errors"]["json"]
    with_bad = api("manager").post("/indicators/snapshots", json={"period": "soon"})
    assert "period" in with_bad.json["errors"]["json"]
