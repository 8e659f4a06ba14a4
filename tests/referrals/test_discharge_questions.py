"""Leaving hospital: the referral form asks the expected discharge day and the ward, which
the receiving team would otherwise ring for; they show on check-your-answers, on the
referral and in the API."""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core import clock
from caremap.core.extensions import db
from caremap.referrals.models import Referral
from tests.conftest import text_of
from tests.referrals.test_referral_flow import referral_body

OLDER = "1941-02-11"


def _form(**overrides):
    form = {
        "source": "hospital",
        "referrer_name": "Nurse Penhale",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge"],
        "urgency": "urgent",
        "consent_to_share": "true",
        "send": "Send referral",
    }
    return {**form, **overrides}


def _parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _referrals(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Referral))


def test_leaving_hospital_without_the_day_and_ward_is_refused_naming_both(
    app, client, login_as, make_person
):
    person_id = make_person(date_of_birth=OLDER)
    login_as("practitioner")
    before = _referrals(app)
    response = client.post(f"/people/{person_id}/refer", data=_form())
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'href="#discharge_on-day"' in body and 'href="#discharge_ward"' in body
    assert "Expected discharge date is needed when the person is leaving hospital" in text_of(
        response
    )
    assert _referrals(app) == before


@pytest.mark.parametrize(
    ("days_from_today", "reason"),
    [(-8, "no more than 7 days ago"), (61, "within 60 days from today")],
)
def test_a_discharge_day_far_from_today_is_refused(
    app, client, login_as, make_person, days_from_today, reason
):
    person_id = make_person(date_of_birth=OLDER)
    login_as("practitioner")
    day = clock.today() + dt.timedelta(days=days_from_today)
    response = client.post(
        f"/people/{person_id}/refer",
        data=_form(discharge_on=_parts(day), discharge_ward="Ward 5"),
    )
    assert response.status_code == 422
    assert reason in text_of(response)


def test_the_day_and_ward_show_before_sending_on_the_referral_and_in_the_api(
    app, api, client, login_as, make_person
):
    person_id = make_person(date_of_birth=OLDER)
    login_as("practitioner")
    day = clock.today() + dt.timedelta(days=2)
    form = _form(discharge_on=_parts(day), discharge_ward="Ward 5, Derriford")
    preview = client.post(
        f"/people/{person_id}/refer",
        data={**form, "send": "", "preview": "Preview"},
        follow_redirects=True,
    )
    answers = text_of(preview)
    assert "Expected discharge date" in answers and "Ward 5, Derriford" in answers
    sent = client.post(f"/people/{person_id}/refer", data=form)
    assert sent.status_code == 302
    page = text_of(client.get(sent.headers["Location"]))
    assert "Ward 5, Derriford" in page and "Expected discharge date" in page
    referral_id = int(sent.headers["Location"].split("/referrals/")[1].split("?")[0])
    shown = api("practitioner").get(f"/referrals/{referral_id}").json
    assert shown["discharge_on"] == day.isoformat()
    assert shown["discharge_ward"] == "Ward 5, Derriford"


def test_the_api_takes_the_day_and_ward_when_given_and_checks_the_day(app, api, make_person):
    person_id = make_person(date_of_birth=OLDER)
    too_early = (clock.today() - dt.timedelta(days=30)).isoformat()
    refused = api("practitioner").post(
        "/referrals", json=referral_body(person_id, discharge_on=too_early, discharge_ward="W5")
    )
    assert refused.status_code == 422 and "discharge_on" in str(refused.json)
    # An older sender that does not know the questions still gets its referral through.
    taken = api("practitioner").post("/referrals", json=referral_body(person_id))
    assert taken.status_code == 201, taken.json
    assert taken.json["referrals"][0]["discharge_on"] is None
