"""The search page: one box read by what was typed, results paged with the true total."""

import re

import pytest

from tests.conftest import audit_rows, text_of, valid_nhs_number

OUTWARD = "ZE3"  # Shetland: no other test registers anyone there


@pytest.fixture
def thompson(make_person):
    return make_person(
        given_name="Margaret",
        family_name="Thompsonia",
        date_of_birth="1939-11-02",
        postcode="PL4 8AA",
        nhs_number=valid_nhs_number(404),
    )


def _search(client, q: str, **more):
    return client.get("/people/search", query_string={"q": q, **more})


@pytest.mark.parametrize(
    "typed",
    [
        "Thompsonia",
        "margret thompsonia",
        "2/11/1939",
        "2 November 1939",
        "1939-11-02",
        "PL4 8AA",
        "pl48aa",
        "Thompsonia PL4 8AA",
        "Thompsonia 02.11.1939",
    ],
)
def test_the_one_box_finds_by_what_was_typed(client, login_as, thompson, typed):
    login_as("practitioner")
    page = text_of(_search(client, typed))
    assert f'href="/people/{thompson}"' in page, typed


def test_an_nhs_number_is_found_with_or_without_spaces(client, login_as, thompson):
    login_as("practitioner")
    nhs = valid_nhs_number(404)
    for typed in (nhs, f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", f"{nhs[:3]}-{nhs[3:6]}-{nhs[6:]}"):
        page = text_of(_search(client, typed))
        assert f'href="/people/{thompson}"' in page, typed
        assert f"1 person with NHS number {nhs[:3]} {nhs[3:6]} {nhs[6:]}, showing 1–1" in page


def test_an_nhs_number_failing_its_check_digit_says_so(client, login_as, thompson, app):
    login_as("practitioner")
    nhs = valid_nhs_number(404)
    wrong = nhs[:9] + str((int(nhs[9]) + 1) % 10)
    before = len(audit_rows(app, action="people.search"))
    response = _search(client, wrong)
    page = text_of(response)
    assert response.status_code == 422
    assert "Not a valid NHS number: check the last digit" in page
    assert "0 people" not in page and "found" not in page
    assert len(audit_rows(app, action="people.search")) == before  # nothing was searched


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12345", "An NHS number has 10 digits: check the number"),
        ("31/2/1950", "Date of birth must be a real date, like 27 3 1950"),
    ],
)
def test_what_cannot_be_read_is_named(client, login_as, typed, message):
    login_as("practitioner")
    response = _search(client, typed)
    assert response.status_code == 422 and message in text_of(response)


def test_results_are_paged_with_the_true_total(client, login_as, make_person):
    people = [
        make_person(given_name="Paged", family_name=f"Person{chr(97 + n)}", postcode="ZE3 9XX")
        for n in range(27)
    ]
    login_as("practitioner")
    first = text_of(_search(client, OUTWARD))
    assert f"27 people in {OUTWARD}, showing 1–25" in first
    assert len(re.findall(r'href="/people/\d+"', first)) == 25
    assert "page=2" in first and "Refine your search" not in first
    second = text_of(_search(client, OUTWARD, page=2))
    assert f"27 people in {OUTWARD}, showing 26–27" in second
    shown = {int(i) for i in re.findall(r'href="/people/(\d+)"', first + second)}
    assert shown == set(people)


def test_a_long_list_suggests_refining(client, login_as, make_person, app, monkeypatch):
    for n in range(4):
        make_person(given_name="Many", family_name=f"Refiner{chr(97 + n)}", postcode="ZE3 9XY")
    monkeypatch.setitem(app.config, "SEARCH_REFINE_OVER", 3)
    login_as("practitioner")
    page = text_of(_search(client, OUTWARD))
    assert "4 people in ZE3, showing 1–4" in page and "Refine your search" in page


def test_each_row_tells_namesakes_apart(client, login_as, thompson):
    login_as("practitioner")
    page = text_of(_search(client, "Thompsonia"))
    nhs = valid_nhs_number(404)
    for cell in ("2 November 1939", f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}", "PL4 8AA"):
        assert f'<td class="govuk-table__cell">{cell}</td>' in page
