"""The referral form groups needs under their strand and offers only those that apply at
the person's age (seed/need_ages.json); a need for the wrong age is refused, page and API."""

import datetime as dt
import html
import re

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.referrals.models import Referral
from tests.conftest import text_of
from tests.referrals.test_referral_flow import referral_body


def _born_years_ago(years: int) -> str:
    today = dt.date.today()
    return today.replace(year=today.year - years, day=1).isoformat()


def _offered(page) -> dict[str, list[str]]:
    """strand legend -> the need codes offered under it."""
    strands = re.findall(
        r'<fieldset [^>]*data-strand="([^"]*)">(.*?)</fieldset>', page.get_data(as_text=True), re.S
    )
    return {
        html.unescape(name): re.findall(r'name="needs" type="checkbox" value="([^"]+)"', body)
        for name, body in strands
    }


def _referrals(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Referral))


def test_an_adult_is_offered_needs_by_strand_without_the_childrens_ones(
    client, login_as, make_person
):
    person_id = make_person(date_of_birth=_born_years_ago(40))
    login_as("practitioner")
    offered = _offered(client.get(f"/people/{person_id}/refer"))
    assert "hospital_discharge" in offered["Urgent care"]
    assert "supported_living" in offered["Long-term support"]
    assert "Children's urgent care (Big 6)" not in offered
    codes = [code for codes in offered.values() for code in codes]
    assert not any(code.startswith("big6_") for code in codes)


def test_a_child_is_offered_the_big_6_but_not_adult_social_care(client, login_as, make_person):
    person_id = make_person(date_of_birth=_born_years_ago(6))
    login_as("practitioner")
    offered = _offered(client.get(f"/people/{person_id}/refer"))
    assert "big6_fever" in offered["Children's urgent care (Big 6)"]
    codes = [code for codes in offered.values() for code in codes]
    for adult_only in ("supported_living", "extra_care_housing", "money_management"):
        assert adult_only not in codes


def test_a_childrens_need_posted_for_an_adult_is_refused_naming_the_field(
    app, client, login_as, make_person
):
    person_id = make_person(date_of_birth=_born_years_ago(40))
    login_as("practitioner")
    before = _referrals(app)
    form = {
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_contact": "01752 000000",
        "needs": ["big6_fever"],
        "urgency": "urgent",
        "consent_to_share": "true",
        "send": "Send referral",
    }
    response = client.post(f"/people/{person_id}/refer", data=form)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "govuk-error-summary" in body and 'href="#needs"' in body
    assert 'id="needs"' in body  # the summary's link lands on the first box
    assert "cannot be chosen for an adult" in text_of(response)
    assert _referrals(app) == before


def test_the_api_refuses_an_adult_only_need_for_a_child(app, api, make_person):
    person_id = make_person(date_of_birth=_born_years_ago(9))
    before = _referrals(app)
    response = api("practitioner").post(
        "/referrals", json=referral_body(person_id, needs=["supported_living"])
    )
    assert response.status_code == 422
    assert "needs" in str(response.json) and "a child" in str(response.json)
    preview = api("practitioner").post(
        "/referrals/preview", json=referral_body(person_id, needs=["supported_living"])
    )
    assert preview.status_code == 422
    assert _referrals(app) == before
