"""Finding people: typos and parts of names, NHS number, date of birth, postcode; identity only."""

import pytest

from tests.conftest import text_of, valid_nhs_number


@pytest.fixture
def thompson(make_person):
    return make_person(
        given_name="Margaret",
        family_name="Thompson",
        date_of_birth="1939-11-02",
        postcode="PL4 8AA",
        nhs_number=valid_nhs_number(303),
        phone="07700 900123",
        address_line_1="12 Clovelly Road",
    )


@pytest.mark.parametrize(
    "query", ["Margret Thomson", "Thomp", "Mar Tho", "thompson margaret", "THOMPSON"]
)
def test_names_with_typos_and_parts_are_found(api, thompson, query):
    ids = [p["id"] for p in api("practitioner").get("/people", query_string={"q": query}).json]
    assert thompson in ids


def test_other_criteria_find_and_combine(api, thompson):
    client = api("practitioner")
    nhs = valid_nhs_number(303)
    spaced = f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"
    for params in (
        {"nhs_number": spaced},
        {"date_of_birth": "1939-11-02"},
        {"postcode": "pl4 8aa"},
        {"postcode": "PL4"},
        {"q": "Thompson", "postcode": "PL4 8AA"},
    ):
        assert thompson in [p["id"] for p in client.get("/people", query_string=params).json], (
            params
        )
    assert thompson not in [
        p["id"]
        for p in client.get("/people", query_string={"q": "Thompson", "postcode": "PL9 9ZZ"}).json
    ]


def test_results_hold_identity_only(api, thompson):
    (result,) = [
        p
        for p in api("practitioner").get("/people", query_string={"q": "Thompson"}).json
        if p["id"] == thompson
    ]
    assert (
        "phone" not in result and "address_line_1" not in result and result["access"] == "identity"
    )


def test_search_page_shows_identity_not_contact_details(client, login_as, thompson):
    login_as("practitioner")
    page = text_of(client.get("/people/search?q=Margret+Thomson"))
    assert "THOMPSON, Margaret" in page and "Clovelly" not in page and "07700 900123" not in page


def test_at_least_one_criterion_is_needed(api, client, login_as):
    response = api("practitioner").get("/people", query_string={"q": ""})
    assert response.status_code == 422 and "q" in response.json["errors"]["query"]


def test_merged_records_are_not_found(api, make_person):
    a = make_person(role="admin", given_name="Ebenezer", family_name="Quiller")
    b = make_person(role="admin", given_name="Ebeneezer", family_name="Quiller")
    api("admin").post(f"/people/{a}/merge", json={"duplicate_id": b, "reason": "same person"})
    ids = [
        p["id"] for p in api("admin").get("/people", query_string={"q": "Ebenezer Quiller"}).json
    ]
    assert a in ids and b not in ids
