"""Who sees what around a referral: every referral route × every kind of viewer.

The person is registered by the complex needs hub (the key worker's team) and
referred to reablement by the practitioner, who has no relationship of their own.
"""

import pytest

from caremap.core.extensions import db
from tests import factories
from tests.access.test_matrix import url_for_rule
from tests.conftest import PASSWORD

GIVEN, FAMILY, NHS = "Philippa", "Quennell", "9434765870"


@pytest.fixture
def scene(app):
    with app.app_context():
        person = factories.make_person(
            actor=factories.staff("key_worker"),
            given_name=GIVEN,
            family_name=FAMILY,
            nhs_number=NHS,
            date_of_birth="1940-06-01",
        )
        referral = factories.make_referral(
            person, actor=factories.staff("practitioner"), source="gp", referrer_name="Dr Hale"
        )
        receiving = factories.make_user(
            email="rea@test.example",
            full_name="Rea Bloom",
            role="key_worker",
            team="reablement-plymouth",
        )
        secret = factories.make_token(receiving)
        db.session.commit()
        ids = {"person_id": person.id, "referral_id": referral.id, "version": referral.version}
    app.config["TEST_TOKENS"]["receiving"] = secret
    yield {**ids, "code": "reablement"}
    app.config["TEST_TOKENS"].pop("receiving")


# (method, URL rule) → the JSON body sent (a function of the scene), or None
ROUTES = {
    ("GET", "/api/v1/referrals/<int:referral_id>"): None,
    ("POST", "/api/v1/referrals/<int:referral_id>/accept"): lambda s: {"version": s["version"]},
    ("POST", "/api/v1/referrals/<int:referral_id>/decline"): lambda s: {
        "reason": "no",
        "version": s["version"],
    },
    ("GET", "/api/v1/people/<int:person_id>/story"): None,
    ("GET", "/api/v1/people/<int:person_id>/chronology"): None,
    ("GET", "/api/v1/people/<int:person_id>/referrals"): None,
    ("GET", "/api/v1/services/<code>/queue"): None,
    ("POST", "/api/v1/referrals/<int:referral_id>/first-contact"): lambda s: {
        "version": s["version"]
    },
}
REFERRAL, ACCEPT, DECLINE, STORY, CHRONOLOGY, PERSON_REFERRALS, QUEUE, CONTACT = ROUTES

# viewer → (method, rule) → expected status. The person was registered by the hub (the
# key worker's team) and referred to reablement ("receiving") by the practitioner.
EXPECTED = {
    "receiving": {  # before accepting: the referral and the person's identity, to decide
        REFERRAL: 200,
        ACCEPT: 200,
        DECLINE: 200,
        STORY: 404,
        CHRONOLOGY: 404,
        PERSON_REFERRALS: 404,
        QUEUE: 200,
        CONTACT: 200,
    },
    "key_worker": {  # sees the record (their team registered the person), may not answer
        REFERRAL: 200,
        ACCEPT: 403,
        DECLINE: 403,
        STORY: 200,
        CHRONOLOGY: 200,
        PERSON_REFERRALS: 200,
        QUEUE: 404,
        CONTACT: 403,
    },
    "practitioner": {  # the referrer follows the referral, not the record
        REFERRAL: 200,
        ACCEPT: 404,
        DECLINE: 404,
        STORY: 404,
        CHRONOLOGY: 404,
        PERSON_REFERRALS: 404,
        QUEUE: 404,
        CONTACT: 404,
    },
    "manager": dict.fromkeys(ROUTES, 404),
    "safeguarding_lead": dict.fromkeys(ROUTES, 404),
    "admin": dict.fromkeys(ROUTES, 200),
}

CASES = [
    (viewer, route, status)
    for viewer, routes in EXPECTED.items()
    for route, status in routes.items()
]


def test_the_routes_exist(app):
    rules = {(method, rule.rule) for rule in app.url_map.iter_rules() for method in rule.methods}
    assert not set(ROUTES) - rules, sorted(set(ROUTES) - rules)


@pytest.mark.parametrize(
    ("viewer", "route", "expected"), CASES, ids=[f"{v}-{m} {r}" for v, (m, r), _ in CASES]
)
def test_api_access(scene, api, viewer, route, expected):
    method, rule = route
    body = ROUTES[route]
    response = getattr(api(viewer), method.lower())(
        url_for_rule(rule, scene).removeprefix("/api/v1"),
        **({"json": body(scene)} if body is not None else {}),
    )
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
