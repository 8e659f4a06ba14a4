"""Every person-scoped route (pages and API) × every kind of viewer × the expected status.

One person, registered by the admin team, with: a lead key worker (hub), a care
team member (a GP practitioner), an open referral to reablement, a practitioner
with break-glass access in force and one whose access has expired. Refusals are
404 and carry none of the person's details.
"""

import datetime as dt

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from tests.conftest import PASSWORD

GIVEN, FAMILY, NHS, BORN, POSTCODE = (
    "Wilhelmina",
    "Trethewey",
    "9434765889",
    "1938-09-14",
    "PL2 1AA",
)

FULL = {"care_team", "open_referral_team", "lead_key_worker", "break_glass_active", "admin"}
IDENTITY_ONLY = {"unrelated_practitioner", "break_glass_expired", "manager", "safeguarding_lead"}
VIEWERS = sorted(FULL | IDENTITY_ONLY)

STAFF = {  # viewer → (email, role, team)
    "care_team": ("matrix-gp@test.example", "practitioner", "gp-practices-plymouth"),
    "open_referral_team": ("matrix-rea@test.example", "key_worker", "reablement-plymouth"),
    "lead_key_worker": ("matrix-kw@test.example", "key_worker", "complex-needs-hub"),
    "break_glass_active": ("matrix-ed@test.example", "practitioner", "emergency-department"),
    "break_glass_expired": ("matrix-amb@test.example", "practitioner", "ambulance-service"),
    "unrelated_practitioner": ("practitioner@test.example", None, None),
    "manager": ("manager@test.example", None, None),
    "safeguarding_lead": ("safeguarding_lead@test.example", None, None),
    "admin": ("admin@test.example", None, None),
}


@pytest.fixture(scope="module")
def scene(app):
    """Built once and committed (its own staff, so other tests' caseloads are untouched);
    the module's tests only read, or make writes that are refused or stale."""
    from caremap.access.models import BreakGlass
    from caremap.auth.models import User
    from caremap.auth.operations import create_api_token, create_user
    from caremap.careteam import operations as careteam
    from caremap.people import operations as people
    from caremap.people.schemas import RegisterPersonArgs
    from caremap.referrals import operations as referrals
    from caremap.referrals.schemas import ReferralArgs

    tokens = {}
    with app.app_context():

        def by_email(email):
            return db.session.scalar(sa.select(User).where(User.email == email))

        for viewer, (email, role, team) in STAFF.items():
            user = by_email(email) or create_user(
                actor=None, email=email, full_name=viewer, role=role, team=team, password=PASSWORD
            )
            tokens[viewer] = create_api_token(user=user, name="matrix")[1]
        admin = by_email("admin@test.example")
        person = people.register_person(
            actor=admin,
            details=RegisterPersonArgs().load(
                {
                    "given_name": GIVEN,
                    "family_name": FAMILY,
                    "nhs_number": NHS,
                    "date_of_birth": BORN,
                    "postcode": POSTCODE,
                    "confirm_no_duplicate": True,
                }
            ),
        )
        people.add_story_version(
            actor=admin, person=person, text="I want to stay at home.", based_on_id=None
        )
        careteam.assign_lead_key_worker(
            actor=admin, person=person, worker=by_email("matrix-kw@test.example")
        )
        careteam.add_member(
            actor=admin, person=person, worker=by_email("matrix-gp@test.example"), role="GP"
        )
        referrals.submit_referral(
            actor=admin,
            person=person,
            args=ReferralArgs().load(
                {
                    "person_id": person.id,
                    "source": "hospital",
                    "referrer_name": "Ward 7",
                    "referrer_contact": "x",
                    "needs": ["hospital_discharge"],
                    "urgency": "urgent",
                    "consent_to_share": True,
                }
            ),
        )
        careteam.break_glass(
            actor=by_email("matrix-ed@test.example"),
            person=person,
            reason="Collapsed in ED, need history",
        )
        expired = careteam.break_glass(
            actor=by_email("matrix-amb@test.example"), person=person, reason="Crew on scene earlier"
        )
        db.session.flush()
        db.session.execute(
            sa.update(BreakGlass)
            .where(BreakGlass.id == expired.id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        )
        from caremap.safeguarding import operations as safeguarding
        from caremap.safeguarding.schemas import RaiseConcernArgs

        concern = safeguarding.raise_concern(
            actor=by_email("matrix-gp@test.example"),
            person=person,
            details=RaiseConcernArgs().load(
                {
                    "categories": ["neglect_and_acts_of_omission"],
                    "what_happened": "Left without meals for days",
                    "risk_location": "own_home",
                    "risk_source": "known_to_the_person",
                    "immediate_actions": "Brought food",
                    "person_wishes": "To be looked after at home",
                    "needs_advocate": False,
                    "capacity": "not_assessed",
                }
            ),
        )
        db.session.commit()
        person_id, concern_id = person.id, concern.id
    return {"person_id": person_id, "tokens": tokens, "concern_id": concern_id}


API_READS = [
    "",
    "/story",
    "/consent",
    "/related-people",
    "/chronology",
    "/access-log",
    "/care-team",
    "/referrals",
    "/episodes",
]
PAGE_READS = [
    "/identity",
    "/story",
    "/consent",
    "/carers/new",
    "/merge",
    "/access-log",
    "/care-team",
]


def _no_personal_data(response):
    text = response.get_data(as_text=True)
    for secret in (
        GIVEN,
        FAMILY,
        NHS,
        "943 476 5889",
        BORN,
        "14 September 1938",
        POSTCODE,
        "I want to stay at home",
    ):
        assert secret not in text


def _api(app, scene, viewer):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {scene['tokens'][viewer]}"
    return client


def _page(app, viewer):
    client = app.test_client()
    assert (
        client.post("/sign-in", data={"email": STAFF[viewer][0], "password": PASSWORD}).status_code
        == 302
    )
    return client


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("route", API_READS)
def test_api_reads(app, scene, viewer, route):
    response = _api(app, scene, viewer).get(f"/api/v1/people/{scene['person_id']}{route}")
    if route == "":  # the person itself: everyone finds who it is, only some see the record
        assert response.status_code == 200
        assert ("person" in response.json) is (viewer in FULL)
        if viewer in IDENTITY_ONLY:
            assert response.json["access"] == "identity" and "story" not in response.json
        return
    assert response.status_code == (200 if viewer in FULL else 404)
    if viewer in IDENTITY_ONLY:
        _no_personal_data(response)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(
    ("method", "route", "body"),
    [
        ("patch", "", {"town": "Saltash", "version": -1}),
        ("post", "/story", {"text": "Changed", "based_on_id": -1}),
        ("post", "/consent", {"status": "given", "decided_on": "2026-01-01", "based_on_id": -1}),
        ("post", "/merge", {"duplicate_id": -1, "reason": "test"}),
    ],
)
def test_api_writes_are_refused_or_reach_the_version_check(app, scene, viewer, method, route, body):
    response = getattr(_api(app, scene, viewer), method)(
        f"/api/v1/people/{scene['person_id']}{route}", json=body
    )
    if viewer in FULL:  # allowed in, then stopped by the stale version: nothing changes
        assert (
            response.status_code in (404, 409) if route == "/merge" else response.status_code == 409
        )
    else:
        assert response.status_code == 404
        _no_personal_data(response)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("route", PAGE_READS)
def test_page_reads(app, scene, viewer, route):
    response = _page(app, viewer).get(f"/people/{scene['person_id']}{route}")
    assert response.status_code == (200 if viewer in FULL else 404)
    if viewer in IDENTITY_ONLY:
        _no_personal_data(response)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_record_page_shows_the_record_or_identity_only(app, scene, viewer):
    response = _page(app, viewer).get(f"/people/{scene['person_id']}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and FAMILY in body
    assert ("I want to stay at home" in body) is (viewer in FULL)
    assert ("You broke glass" in body) is (viewer == "break_glass_active")
    if viewer in IDENTITY_ONLY:
        assert "identity only" in body


@pytest.mark.parametrize("viewer", sorted(IDENTITY_ONLY - {"manager"}))
def test_those_without_access_may_break_glass_but_managers_may_not(app, scene, viewer):
    body = _page(app, viewer).get(f"/people/{scene['person_id']}").get_data(as_text=True)
    assert "Emergency access" in body


def test_manager_is_not_offered_break_glass(app, scene):
    body = _page(app, "manager").get(f"/people/{scene['person_id']}").get_data(as_text=True)
    assert "Emergency access" not in body


# Safeguarding detail: leads only (and the enquiry's workers, none here); the raiser (the
# care team's GP) follows the status; everyone else, admins and the care team included, 404.
SAFEGUARDING_DETAIL = {"safeguarding_lead"}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("route", ["/safeguarding/concerns/{concern_id}", "/safeguarding/queue"])
def test_safeguarding_routes(app, scene, viewer, route):
    response = _api(app, scene, viewer).get("/api/v1" + route.format(**scene))
    text = response.get_data(as_text=True)
    if viewer in SAFEGUARDING_DETAIL:
        assert response.status_code == 200 and "Left without meals" in text
    elif viewer == "care_team" and "concerns" in route:
        assert response.status_code == 200 and "Left without meals" not in text
        assert set(response.json) == {"id", "reference", "person_id", "raised_at", "status"}
    else:
        assert response.status_code == 404
        assert "Left without meals" not in text
        _no_personal_data(response)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_safeguarding_concern_page(app, scene, viewer):
    response = _page(app, viewer).get(f"/safeguarding/concerns/{scene['concern_id']}")
    if viewer in SAFEGUARDING_DETAIL:
        assert response.status_code == 200 and "Left without meals" in response.get_data(
            as_text=True
        )
    elif viewer == "care_team":
        assert response.status_code == 302  # the raiser goes to the status of what they raised
    else:
        assert response.status_code == 404
        _no_personal_data(response)


@pytest.mark.parametrize("viewer", sorted(FULL))
def test_the_care_team_sees_that_a_concern_exists_not_what_it_is(app, scene, viewer):
    record = _api(app, scene, viewer).get(f"/api/v1/people/{scene['person_id']}").json
    assert "safeguarding" in [flag["code"] for flag in record["flags"]]
    assert "Left without meals" not in str(record)


SAFEGUARDING_WRITES = [
    ("post", "/safeguarding/concerns/{concern_id}/take", {"version": -1}),
    (
        "post",
        "/safeguarding/concerns/{concern_id}/triage",
        {
            "version": -1,
            "test_care_and_support_needs": True,
            "test_abuse_or_neglect": True,
            "test_unable_to_protect_self": True,
            "decision": "section_42_enquiry",
        },
    ),
]


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize(("method", "route", "body"), SAFEGUARDING_WRITES)
def test_safeguarding_writes_are_the_leads_alone(app, scene, viewer, method, route, body):
    """Leads get past the access check and stop at the stale version (nothing changes);
    everyone else, the raiser and admins included, gets 404."""
    response = getattr(_api(app, scene, viewer), method)(
        "/api/v1" + route.format(**scene), json=body
    )
    assert response.status_code == (409 if viewer in SAFEGUARDING_DETAIL else 404)
    if response.status_code == 404:
        assert "Left without meals" not in response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_safeguarding_numbers_are_for_leads_managers_and_admins(app, scene, viewer):
    response = _api(app, scene, viewer).get(
        "/api/v1/safeguarding/figures", query_string={"start": "2026-01-01", "end": "2026-12-31"}
    )
    allowed = viewer in {"safeguarding_lead", "manager", "admin"}
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert "Left without meals" not in response.get_data(as_text=True)  # counts only
