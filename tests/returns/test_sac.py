"""The SAC tables, hand-counted: a small year of concerns and enquiries, and each table's
cells checked against what the rules say they count."""

from __future__ import annotations

import datetime as dt

import pytest

from caremap.core.extensions import db
from caremap.returns import sac
from caremap.returns.periods import financial_year
from caremap.safeguarding.models import Enquiry
from tests.returns import records

YEAR = "2025-26"
IN_YEAR = dt.date(2025, 9, 1)
LAST_YEAR = dt.date(2025, 3, 1)


@pytest.fixture
def city(ctx):
    """Four people; what each adds is written beside it."""
    # Ann, 80, white British, physical support: two concerns in the year (one person in
    # SG1a-e, two concerns in SG1f), one of them a s42 enquiry concluded in the year with
    # two risks: neglect at home by a provider, financial at home by someone known.
    ann = records.person(born="1945-06-01")
    records.concern(ann, raised_on=IN_YEAR)
    records.enquiry(
        ann,
        started_on=IN_YEAR,
        closed_on=dt.date(2025, 12, 1),
        risks=(
            ("neglect_and_acts_of_omission", "own_home", "service_provider"),
            ("financial_or_material", "own_home", "known_to_the_person"),
        ),
        action_result="risk_identified_action_taken",
        risk_outcome="reduced",
        lacked_capacity="yes",
        capacity_support=True,
        msp_asked="asked_outcomes_expressed",
        outcomes_achieved="partly",
    )
    # Bob, 40, male, learning disability with autism: an other enquiry started in the year
    bob = records.person(born="1985-01-01", sex="male", profile=False)
    records.add_profile(
        bob,
        primary_support_reason="Learning disability support",
        ethnicity="Asian or Asian British: Indian",
        autism=True,
    )
    records.enquiry(bob, started_on=IN_YEAR, section_42=False)
    # Cy, 96, no profile: a s42 enquiry started LAST year, concluded this year: not in SG1,
    # in SG2-SG4 (physical, in a nursing home, by a stranger); no action, no risk.
    cy = records.person(born="1929-01-01", profile=False, sex="unknown")
    records.enquiry(
        cy,
        started_on=LAST_YEAR,
        closed_on=IN_YEAR,
        risks=(("physical", "nursing_home", "stranger"),),
        action_result="no_risk_no_action",
        lacked_capacity="no",
        msp_asked="not_asked",
    )
    # Eve, 16: a child's concluded s42 enquiry is not in the collection at all
    eve = records.person(born="2009-06-01")
    records.enquiry(
        eve,
        started_on=IN_YEAR,
        closed_on=dt.date(2025, 12, 1),
        risks=(("physical", "own_home", "stranger"),),
        action_result="no_risk_no_action",
        lacked_capacity="no",
        msp_asked="not_asked",
    )
    # Di: a s42 enquiry concluded NEXT year: in SG1 (started this year), not in SG2-SG4
    di = records.person(born="1970-01-01")
    records.enquiry(
        di,
        started_on=IN_YEAR,
        closed_on=dt.date(2026, 4, 2),
        risks=(("physical", "own_home", "stranger"),),
        action_result="no_risk_no_action",
        lacked_capacity="no",
        msp_asked="not_asked",
    )
    return {"ann": ann, "bob": bob, "cy": cy, "di": di, "eve": eve}


def _build(city) -> sac.SacReturn:
    """This test's people only: other tests may have committed records of their own."""
    return sac.build(financial_year(YEAR), only={p.id for p in city.values()})


def _mine(result: sac.SacReturn, code: str, people) -> dict:
    """The table's non-zero cells."""
    return {
        (row, column): result.count(code, row, column)
        for row, _ in result.tables[code].rows
        for column, _ in result.tables[code].columns
        if result.count(code, row, column)
    }


def test_sg1_counts_people_once_a_column_and_cases_in_sg1f(city):
    result = _build(city)
    # concerns: Ann's own concern and the concerns behind Ann's, Bob's and Di's enquiries
    assert result.count("SG1f", "concerns", "count") == 4
    assert result.count("SG1f", "s42", "count") == 2  # Ann, Di (Cy started last year)
    assert result.count("SG1f", "other", "count") == 1  # Bob
    assert _mine(result, "SG1a", city) == {
        ("75-84", "concerns"): 1,  # Ann, two concerns, one person
        ("75-84", "s42"): 1,
        ("18-64", "concerns"): 2,  # Bob, Di
        ("18-64", "other"): 1,
        ("18-64", "s42"): 1,
    }
    assert _mine(result, "SG1b", city) == {
        ("female", "concerns"): 2,
        ("female", "s42"): 2,
        ("male", "concerns"): 1,
        ("male", "other"): 1,
    }
    assert result.count("SG1c", "white", "concerns") == 2
    assert result.count("SG1c", "asian", "other") == 1
    assert result.count("SG1d", "physical", "s42") == 2
    assert result.count("SG1d", "learning_disability", "other") == 1
    assert _mine(result, "SG1e", city) == {("autism", "concerns"): 1, ("autism", "other"): 1}


def test_sg2_to_sg4_count_concluded_s42_enquiries_once_a_category(city):
    result = _build(city)
    assert _mine(result, "SG2a", city) == {
        ("neglect", "service_provider"): 1,
        ("financial", "other_known"): 1,
        ("physical", "other_unknown"): 1,  # Cy; Di's is next year's
    }
    assert _mine(result, "SG2b", city) == {
        ("own_home", "service_provider"): 1,
        ("own_home", "other_known"): 1,
        ("care_home_nursing", "other_unknown"): 1,
    }
    assert _mine(result, "SG2c", city) == {
        ("identified_action", "count"): 1,
        ("none_no_action", "count"): 1,
    }
    assert _mine(result, "SG2e", city) == {("reduced", "count"): 1}
    assert _mine(result, "SG3a", city) == {
        ("lacked", "count"): 1,
        ("lacked_supported", "count"): 1,
        ("did_not_lack", "count"): 1,
    }
    assert _mine(result, "SG4a", city) == {
        ("asked_expressed", "count"): 1,
        ("asked_expressed", "partially"): 1,
        ("not_asked", "count"): 1,
    }


def test_each_cell_names_the_cases_behind_it(city):
    result = _build(city)
    (kind, key), *rest = result.tables["SG2c"].behind[("none_no_action", "count")]
    assert not rest
    assert kind == "enquiry"
    assert db.session.get(Enquiry, key).person_id == city["cy"].id
    ann_cases = result.tables["SG1a"].behind[("75-84", "concerns")]
    assert len(ann_cases) == 2  # two concerns of one person: the count is 1, the cases 2
    assert result.count("SG1a", "75-84", "concerns") == 1


def test_the_tables_agree_with_one_another(city):
    assert sac.checks(_build(city)) == []


def test_an_enquiry_concluded_without_its_action_and_result_is_reported(city):
    records.enquiry(
        city["cy"],
        started_on=IN_YEAR,
        closed_on=IN_YEAR,
        risks=(("physical", "own_home", "stranger"),),
        lacked_capacity="no",
        msp_asked="not_asked",
    )
    (problem,) = sac.checks(_build(city))
    assert problem.startswith("Concluded section 42 enquiries differ between tables")
    assert "'SG2c': 2, 'SG3a': 3, 'SG4a': 3" in problem
