"""Lists of people tell them apart at a glance: every row of search results (page and
API) and of "records you opened recently" shows the date of birth, the NHS number (3-3-4),
the postcode and the local reference."""

import re

import pytest

from tests.conftest import text_of, valid_nhs_number


@pytest.fixture
def namesakes(api, make_person):
    """Two people of one name: one with an NHS number and postcode, one with neither."""
    nhs = valid_nhs_number(919)
    known = make_person(
        given_name="Elowen",
        family_name="Penhallow",
        date_of_birth="1947-09-21",
        nhs_number=nhs,
        postcode="PL4 8AA",
    )
    unknown = make_person(
        given_name="Elowen", family_name="Penhallow", date_of_birth="1972-04-02", postcode=None
    )
    refs = {
        p: api("practitioner").get(f"/people/{p}").json["person"]["local_ref"]
        for p in (known, unknown)
    }
    return {
        known: ("21 September 1947", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "PL4 8AA", refs[known]),
        unknown: ("2 April 1972", "Not known", "Not known", refs[unknown]),
    }


def rows_by_person(html: str) -> dict[int, str]:
    """Each table row that links to a record, by the record's id, as text."""
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S):
        link = re.search(r'href="/people/(\d+)"', row)
        if link:
            rows[int(link.group(1))] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    return rows


def assert_told_apart(rows: dict[int, str], namesakes) -> None:
    for person, (born, nhs, postcode, local_ref) in namesakes.items():
        row = rows[person]
        assert born in row and nhs in row and postcode in row and local_ref in row, row


def test_every_search_result_row_shows_birth_nhs_number_postcode_and_local_reference(
    client, login_as, namesakes
):
    login_as("practitioner")
    html = text_of(client.get("/people/search?q=Elowen+Penhallow"))
    assert_told_apart(rows_by_person(html), namesakes)
    assert "Local reference" in html


def test_every_api_search_result_carries_the_same(api, namesakes):
    results = api("practitioner").get("/people", query_string={"q": "Elowen Penhallow"}).json
    by_id = {r["id"]: r for r in results}
    for person, (_, nhs, postcode, local_ref) in namesakes.items():
        result = by_id[person]
        assert result["local_ref"] == local_ref and result["date_of_birth"]
        if nhs == "Not known":
            assert result["nhs_number"] is None and result["nhs_number_display"] == ""
            assert result["postcode"] is None
        else:
            assert result["nhs_number_display"] == nhs and result["postcode"] == postcode
            assert re.fullmatch(r"\d{3} \d{3} \d{4}", result["nhs_number_display"])


def test_every_row_of_records_opened_recently_shows_the_same(client, login_as, namesakes):
    login_as("practitioner")
    for person in namesakes:
        assert client.get(f"/people/{person}").status_code == 200
    html = text_of(client.get("/"))
    recent = html.split("Records you opened recently", 1)[1]
    assert_told_apart(rows_by_person(recent), namesakes)
