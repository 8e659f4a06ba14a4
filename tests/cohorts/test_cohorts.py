"""The multiple-needs cohort: derived by a rule written as data, overridable with a reason."""

import datetime as dt

import pytest

from caremap.cohorts.enums import Engagement, Stability
from caremap.cohorts.rules import derive_cohort
from tests.conftest import text_of

NONE = {
    "homelessness": False,
    "substance_misuse": False,
    "offending": False,
    "mental_health": False,
    "domestic_abuse": False,
}


def needs(*present):
    return {**NONE, **dict.fromkeys(present, True)}


@pytest.mark.parametrize(
    ("present", "engagement", "stability", "expected"),
    [
        (("homelessness", "substance_misuse"), "engaging", "crisis", "core"),
        (("homelessness", "substance_misuse", "offending"), "not_engaging", "unstable", "core"),
        (("homelessness", "substance_misuse"), "not_engaging", "unstable", "edge"),
        (("mental_health", "domestic_abuse"), "partly_engaging", "unstable", "edge"),
        (("mental_health", "substance_misuse"), "engaging", "stable", "stable"),
        (("mental_health", "substance_misuse"), "not_engaging", "stable", "edge"),
        (("homelessness",), "engaging", "crisis", None),
        ((), "engaging", "stable", None),
    ],
)
def test_the_rule(app, present, engagement, stability, expected):
    with app.app_context():
        cohort = derive_cohort(
            needs=needs(*present), engagement=Engagement(engagement), stability=Stability(stability)
        )
    assert (cohort.value if cohort else None) == expected


def assessment(**changes):
    return {
        "assessed_on": dt.date.today().isoformat(),
        **needs("homelessness", "substance_misuse"),
        "engagement": "engaging",
        "stability": "crisis",
        **changes,
    }


def test_assessments_derive_flag_and_count_in_one_query(app, api, make_person, count_queries):
    client = api("key_worker")
    before = client.get("/cohorts/counts").json
    core = make_person(role="key_worker")
    edge = make_person(role="key_worker")
    moved = make_person(role="key_worker")
    assert (
        client.post(f"/people/{core}/needs-assessments", json=assessment()).json["cohort"] == "core"
    )
    client.post(
        f"/people/{edge}/needs-assessments",
        json=assessment(stability="unstable", engagement="not_engaging"),
    )
    client.post(f"/people/{moved}/needs-assessments", json=assessment())
    later = client.post(f"/people/{moved}/needs-assessments", json=assessment(stability="stable"))
    assert later.json["cohort"] == "stable"  # the newest assessment is the one in force
    flags = {f["code"]: f for f in client.get(f"/people/{core}").json["flags"]}
    assert (
        flags["cohort"]["label"] == "Multiple needs: core" and flags["cohort"]["severity"] == "high"
    )
    with app.app_context(), count_queries() as statements:
        from caremap.cohorts.queries import cohort_counts

        after = cohort_counts()
    assert len([s for s in statements if s.startswith("SELECT")]) == 1
    assert {k: after[k] - before[k] for k in after} == {"core": 1, "edge": 1, "stable": 1}


def test_an_override_needs_a_reason_and_wins(api, make_person):
    person_id = make_person(role="key_worker")
    client = api("key_worker")
    no_reason = client.post(
        f"/people/{person_id}/needs-assessments", json=assessment(override_cohort="edge")
    )
    assert no_reason.status_code == 422 and "override_reason" in no_reason.json["errors"]["json"]
    overridden = client.post(
        f"/people/{person_id}/needs-assessments",
        json=assessment(
            override_cohort="edge", override_reason="Crisis resolved this morning; housed tonight"
        ),
    )
    assert overridden.json["derived_cohort"] == "core" and overridden.json["cohort"] == "edge"


def test_bad_assessments_name_the_field(api, make_person):
    person_id = make_person(role="key_worker")
    response = api("key_worker").post(
        f"/people/{person_id}/needs-assessments",
        json=assessment(stability="wobbly", homelessness="perhaps"),
    )
    assert response.status_code == 422
    assert {"stability", "homelessness"} <= set(response.json["errors"]["json"])
    assert api("practitioner").get(f"/people/{person_id}/needs-assessments").status_code == 404


def test_the_needs_page(client, login_as, make_person):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    form = {
        "assessed_on": ["1", "11", "2026"],
        "homelessness": "true",
        "substance_misuse": "true",
        "offending": "false",
        "mental_health": "false",
        "domestic_abuse": "false",
        "engagement": "engaging",
        "stability": "crisis",
        "override_cohort": "__none__",
    }
    assert client.post(f"/people/{person_id}/needs", data=form).status_code == 302
    assert "core" in text_of(client.get(f"/people/{person_id}/needs"))
