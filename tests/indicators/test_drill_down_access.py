"""Who sees whom behind a figure: the record's own relationship rule, for every role, on the
page and in the API; everyone else is a count; every drill-down is audited."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.careteam.models import CareTeamMember
from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import audit_rows, text_of, user
from tests.indicators import hand_counted
from tests.indicators.hand_counted import AREA, PERIOD

URL = f"/indicators/ASCOF-2B/people?period={PERIOD}&area={AREA}&part=denominator"
ROLES = ["manager", "admin"]  # the roles that may open indicators at all


@pytest.fixture
def city(app):
    """The hand-counted city, registered by a team nobody here belongs to, with the
    manager in the care team of one person in the ASCOF 2B cohort (say a manager who
    also keeps a small caseload)."""
    with app.app_context():
        built = hand_counted.build()
        outsider = db.session.scalar(
            sa.select(Person.registered_by_team_id).where(Person.id == built.names["home80"])
        )
        assert outsider not in (user("manager").team_id,)
        db.session.add(
            CareTeamMember(
                person_id=built.names["hospital"],
                user_id=user("manager").id,
                role="Worker",
                is_lead=False,
                started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
            )
        )
        db.session.commit()
        return built.names


def test_page_names_only_the_related_person_for_a_manager(login_as, city):
    page = text_of(login_as("manager").get(URL))
    assert "8 people in the denominator" in page
    assert "hospital Handcount" in page
    for name in ("home80", "turns65", "newyearseve", "carehome", "notrecorded"):
        assert f"{name} Handcount" not in page
    assert "And 7 people you have no relationship with: counts only" in page


def test_page_names_everyone_for_an_admin(login_as, city):
    page = text_of(login_as("admin").get(URL))
    for name in ("home80", "turns65", "newyearseve", "hospital", "carehome", "notrecorded"):
        assert f"{name} Handcount" in page
    assert "no relationship" not in page


@pytest.mark.parametrize("role", ROLES)
def test_api_agrees_with_the_page(api, city, role):
    body = (
        api(role)
        .get(
            "/indicators/ASCOF-2B/people",
            query_string={"period": PERIOD, "area": AREA, "part": "denominator"},
        )
        .json
    )
    assert body["total"] == 8
    names = {p["name"] for p in body["people"]}
    if role == "manager":
        assert names == {"hospital Handcount"} and body["others"] == 7
    else:
        assert len(names) == 8 and body["others"] == 0


def test_each_drill_down_writes_one_summary_and_a_read_per_person_shown(app, login_as, city):
    login_as("manager").get(URL)
    rows = audit_rows(app, action="indicators.drill_down")
    summaries = [r for r in rows if r.person_id is None]
    reads = [r for r in rows if r.person_id is not None]
    assert len(summaries) == 1
    assert summaries[0].changes == {
        "code": "ASCOF-2B",
        "period": PERIOD,
        "part": "denominator",
        "filters": {"area": AREA},
        "counts": {"total": 8, "related": 1, "shown": 1, "others": 7},
    }
    assert [r.person_id for r in reads] == [city["hospital"]]
    with app.app_context():
        manager_id = user("manager").id
    assert {r.actor_id for r in rows} == {manager_id}


def test_a_rate_has_no_people_behind_its_denominator(login_as, city):
    page = text_of(
        login_as("admin").get(
            f"/indicators/ASCOF-2A-65/people?period={PERIOD}&area={AREA}&part=denominator"
        )
    )
    assert "A rate divides by a population estimate, not by people on the record." in page
