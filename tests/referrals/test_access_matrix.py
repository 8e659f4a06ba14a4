"""Who sees what around a referral: every referral route × every kind of viewer.

The person is registered by the complex needs hub (the key worker's team) and
referred to reablement by the practitioner, who has no relationship of their own.
"""

import pytest

from caremap.core.extensions import db
from tests.conftest import PASSWORD

GIVEN, FAMILY, NHS = "Philippa", "Quennell", "9434765870"


@pytest.fixture
def scene(app, api, make_person):
    from caremap.auth.operations import create_api_token, create_user

    person_id = make_person(
        role="key_worker",
        given_name=GIVEN,
        family_name=FAMILY,
        nhs_number=NHS,
        date_of_birth="1940-06-01",
    )
    body = {
        "person_id": person_id,
        "source": "gp",
        "referrer_name": "Dr Hale",
        "referrer_contact": "01752 000000",
        "needs": ["hospital_discharge"],
        "urgency": "urgent",
        "consent_to_share": True,
    }
    (referral,) = api("practitioner").post("/referrals", json=body).json["referrals"]
    with app.app_context():
        user = create_user(
            actor=None,
            email="rea@test.example",
            full_name="Rea Bloom",
            role="key_worker",
            team="reablement-plymouth",
            password=PASSWORD,
        )
        _, secret = create_api_token(user=user, name="tests")
        db.session.commit()
    app.config["TEST_TOKENS"]["receiving"] = secret
    yield {"person_id": person_id, "referral_id": referral["id"], "version": referral["version"]}
    app.config["TEST_TOKENS"].pop("receiving")


ROUTES = {
    "referral": lambda s: ("get", f"/referrals/{s['referral_id']}", None),
    "accept": lambda s: (
        "post",
        f"/referrals/{s['referral_id']}/accept",
        {"version": s["version"]},
    ),
    "decline": lambda s: (
        "post",
        f"/referrals/{s['referral_id']}/decline",
        {"reason": "no", "version": s["version"]},
    ),
    "story": lambda s: ("get", f"/people/{s['person_id']}/story", None),
    "chronology": lambda s: ("get", f"/people/{s['person_id']}/chronology", None),
    "person_referrals": lambda s: ("get", f"/people/{s['person_id']}/referrals", None),
    "queue": lambda s: ("get", "/services/reablement/queue", None),
}

# viewer → route → expected status
EXPECTED = {
    "receiving": {
        "referral": 200,
        "accept": 200,
        "decline": 200,
        "story": 200,
        "chronology": 200,
        "person_referrals": 200,
        "queue": 200,
    },
    "key_worker": {
        "referral": 200,
        "accept": 403,
        "decline": 403,
        "story": 200,
        "chronology": 200,
        "person_referrals": 200,
        "queue": 404,
    },
    "practitioner": {
        "referral": 200,
        "accept": 404,
        "decline": 404,
        "story": 404,
        "chronology": 404,
        "person_referrals": 404,
        "queue": 404,
    },
    "manager": {
        "referral": 404,
        "accept": 404,
        "decline": 404,
        "story": 404,
        "chronology": 404,
        "person_referrals": 404,
        "queue": 404,
    },
    "safeguarding_lead": {
        "referral": 404,
        "accept": 404,
        "decline": 404,
        "story": 404,
        "chronology": 404,
        "person_referrals": 404,
        "queue": 404,
    },
    "admin": {
        "referral": 200,
        "accept": 200,
        "decline": 200,
        "story": 200,
        "chronology": 200,
        "person_referrals": 200,
        "queue": 200,
    },
}

CASES = [
    (viewer, route, status)
    for viewer, routes in EXPECTED.items()
    for route, status in routes.items()
]


@pytest.mark.parametrize(
    ("viewer", "route", "expected"), CASES, ids=[f"{v}-{r}" for v, r, _ in CASES]
)
def test_api_access(scene, api, viewer, route, expected):
    method, path, body = ROUTES[route](scene)
    response = getattr(api(viewer), method)(path, **({"json": body} if body is not None else {}))
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if expected == 404:
        text = response.get_data(as_text=True)
        for secret in (GIVEN, FAMILY, NHS, "1940-06-01"):
            assert secret not in text


PAGE_CASES = [
    ("receiving", 200),
    ("key_worker", 200),
    ("practitioner", 200),
    ("manager", 404),
    ("admin", 200),
]


@pytest.mark.parametrize(("viewer", "expected"), PAGE_CASES)
def test_referral_page_access(app, scene, viewer, expected):
    client = app.test_client()
    email = "rea@test.example" if viewer == "receiving" else f"{viewer}@test.example"
    assert client.post("/sign-in", data={"email": email, "password": PASSWORD}).status_code == 302
    response = client.get(f"/referrals/{scene['referral_id']}")
    assert response.status_code == expected
    body = response.get_data(as_text=True)
    if expected == 404:
        assert GIVEN not in body and FAMILY not in body
    if viewer == "practitioner":  # the referrer follows the referral, not the record
        assert "You made this referral" in body and FAMILY not in body
    if viewer == "receiving":
        assert FAMILY in body and "Answer the referral" in body
