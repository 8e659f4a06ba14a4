"""The hand-counted city's long-term support events (CLD Services and carers' assessments)
and the other records the CLD-era indicators count: ASCOF 2A, 2B/2C, 2E, discharges at
weekends and bank holidays, major adaptations, carers assessed, advocates. Built into the
same city (tests/indicators/hand_counted.py) for the financial year 2025-26; each case's
reason is beside it."""

from __future__ import annotations

import datetime as dt

from caremap.core.extensions import db
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.safeguarding.models import Concern

D = dt.date

EXPECTED_CLD = {
    # 2C: admit70 (twice, counted once), admit80lastday, admit65today — see _care_homes
    "ASCOF-2A-65": (3, 2000, 150.0),
    "ASCOF-2A-18-64": (1, 6000, 100_000 / 6000),  # admit64
    "ASCOF23-2A": (3, 4, 75.0),
    "ASCOF23-2E-18-64": (1, 2, 50.0),
    "ASCOF23-2E-65": (2, 10, 20.0),
    # 13 discharges in the year in hand_counted.py (2 on a Saturday) and 3 here (2 bank holidays)
    "NHS-WEEKEND-DISCHARGES": (4, 16, 25.0),
    "LTS-MAJOR-ADAPTATIONS": (2, None, 2),
    "CARERS-ASSESSED": (2, None, 2),
    "CARE-ACT-ADVOCATES": (2, None, 2),
    # latest scores of wemtwice 50, wemopen 60, wemlastday 44, wemsameday 36: 190 / 4
    "WEMWBS-AVERAGE": (190, 4, 47.5),
}

RESIDENTIAL = ("Long term support: Residential care", "Long term residential care")
NURSING = ("Long term support: Nursing care", "Long term nursing care")
COMMUNITY = ("Long term support: Community", "Home support or domiciliary care")
ST_MAX = ("Short term support: ST-Max", "Reablement")


def _package(city, pid, kind, started_on, ended_on=None, **fields) -> None:
    service_type, component = kind
    db.session.add(
        CarePackage(
            person_id=pid,
            service_type=service_type,
            service_component=component,
            started_on=started_on,
            ended_on=ended_on,
            recorded_by_id=city.user_id,
            **fields,
        )
    )


def _profile(city, pid, accommodation) -> None:
    db.session.add(
        SocialCareProfile(
            person_id=pid, accommodation_status=accommodation, updated_by_id=city.user_id
        )
    )


def build_cld(city) -> None:
    _care_homes(city)
    _reablement(city)
    _long_term_support(city)
    _discharges(city)
    _adaptations(city)
    _carers_assessed(city)
    _advocates(city)
    _wellbeing_scores(city)
    db.session.flush()


def _care_homes(city) -> None:
    """The same admissions as hand_counted.py's care home episodes, as CLD Services, and
    the central method's own cases folded into them, so the rates stay 150 and 16.7."""

    def admitted(name, born, on, kind=RESIDENTIAL, **fields):
        pid = city.person(name, born)
        _package(city, pid, kind, on, **fields)
        return pid

    # 65+, new; admitted again in September, within a year of leaving: counted once
    twice = admitted("pkgadmit70", D(1955, 1, 1), D(2025, 5, 1), ended_on=D(2025, 5, 20))
    _package(city, twice, NURSING, D(2025, 9, 1))
    admitted("pkgadmit80lastday", D(1945, 1, 1), D(2026, 3, 31), NURSING)  # the last day
    moved = admitted("pkgmovedhomes", D(1945, 1, 1), D(2025, 6, 1), NURSING)  # not new:
    _package(city, moved, RESIDENTIAL, D(2023, 1, 1), D(2025, 5, 31))  # left a home the day before
    short = ("Short term support: Other short term", "Short term residential care")
    admitted("pkgtemporary", D(1945, 1, 1), D(2025, 6, 1), short)  # short term: out
    admitted("pkgadmit64", D(1960, 7, 2), D(2025, 7, 1))  # 64 the day before turning 65: 2B
    admitted("pkgnextyear", D(1945, 1, 1), D(2026, 4, 1))  # out
    # 65 that day: 2C; new, as the home it left before had been left 366 days before
    back = admitted("pkgadmit65today", D(1960, 8, 1), D(2025, 8, 1))
    _package(city, back, RESIDENTIAL, D(2022, 1, 1), D(2024, 7, 31))
    admitted(  # ended as self-funded: out
        "pkgselffunded",
        D(1945, 1, 1),
        D(2025, 9, 1),
        ended_on=D(2025, 12, 1),
        outcome="NFA: Self-funded client or under 12wk disregard",
    )
    admitted("pkgclientfunded", D(1945, 1, 1), D(2025, 9, 1), funded_by="Fully client funded")


def _reablement(city) -> None:
    def reabled(name, born, ended_on, outcome=None, *, died=None, started_on=None):
        pid = city.person(name, born, died=died)
        started_on = started_on or ended_on - dt.timedelta(days=42)
        _package(city, pid, ST_MAX, started_on, ended_on, outcome=outcome)
        return pid

    reabled("stmnfa", D(1950, 1, 1), D(2025, 6, 10), "NFA: Support ended as planned")  # num
    low = reabled("stmlowlevel", D(1950, 1, 1), D(2025, 7, 10))  # num: low level after
    _package(city, low, ("Short term support: Ongoing low level", "Equipment"), D(2025, 7, 12))
    lts = reabled("stmlts", D(1950, 1, 1), D(2025, 8, 10))  # den only: long-term support
    _package(city, lts, COMMUNITY, D(2025, 8, 15))
    late = reabled("stmltslate", D(1950, 1, 1), D(2025, 8, 10), "NFA: Support ended as planned")
    _package(city, late, COMMUNITY, D(2025, 8, 20))  # 10 days later: not its sequel; num
    reabled("stmdied", D(1950, 1, 1), D(2025, 9, 10), died=D(2025, 9, 12))  # out
    reabled("stmhospital", D(1950, 1, 1), D(2025, 9, 10), "Admitted to hospital")  # out
    notnew = reabled(  # out: long-term support ended 31 days before it began
        "stmnotnew", D(1950, 1, 1), D(2025, 7, 13), "NFA: Support ended as planned"
    )
    _package(city, notnew, COMMUNITY, D(2025, 1, 1), D(2025, 5, 1))
    unclassified = "Progress to assessment, review or reassessment"  # out: no sequel known
    reabled("stmunclassified", D(1950, 1, 1), D(2025, 10, 1), unclassified)
    reabled("stmyoung", D(2008, 1, 1), D(2025, 10, 1), "NFA: Support ended as planned")  # 17
    reabled("stmnextyear", D(1950, 1, 1), D(2026, 4, 2), "NFA: Support ended as planned")
    # 2E (65+): at home, stmlts and stmltslate; not at home or unknown: stmnotnew and the
    # seven care home residents with a long-term service in the year
    _profile(city, lts, "Owner occupier or shared ownership scheme")
    _profile(city, late, "Tenant: Private landlord")
    _profile(city, city.names["pkgadmit70"], "Registered care home")


def _long_term_support(city) -> None:
    """2E, 18-64: one at home with family, one in a hostel."""
    for name, accommodation in (
        ("ltsyoung", "Settled mainstream housing with family or friends"),
        ("ltsyounghostel", "Night shelter, emergency hostel or direct access hostel"),
    ):
        pid = city.person(name, D(1990, 1, 1))
        _package(city, pid, COMMUNITY, D(2024, 1, 1))
        _profile(city, pid, accommodation)


def _discharges(city) -> None:
    for name, left in (
        ("xmasday", D(2025, 12, 25)),  # a bank holiday (a Thursday)
        ("augustbh", D(2025, 8, 25)),  # the summer bank holiday (a Monday)
        ("augusttue", D(2025, 8, 26)),  # a working day
    ):
        pid = city.person(name, D(1950, 1, 1))
        city.episode(
            pid, "hospital_discharge", "hospital_admission", left - dt.timedelta(days=3),
            ended_on=left, is_emergency=False,
        )  # fmt: skip


def _adaptations(city) -> None:
    one = city.person("adapted", D(1950, 1, 1))
    for started, ended in ((D(2025, 4, 1), D(2025, 6, 1)), (D(2025, 7, 1), D(2025, 9, 1))):
        city.episode(one, "housing_adaptations", "general", started, ended_on=ended)  # once
    two = city.person("adaptedtoo", D(1950, 1, 1))
    city.episode(two, "housing_adaptations", "general", D(2025, 4, 1), ended_on=D(2026, 3, 31))
    early = city.person("adaptedearly", D(1950, 1, 1))  # completed the year before: out
    city.episode(early, "housing_adaptations", "general", D(2025, 1, 1), ended_on=D(2025, 3, 15))


def _carers_assessed(city) -> None:
    def assessed(pid, ended_on, kind=AssessmentKind.CARERS):
        db.session.add(
            CareAssessment(
                person_id=pid,
                kind=kind,
                assessment_type="Long term assessment",
                method="Face to face",
                started_on=ended_on - dt.timedelta(days=7),
                ended_on=ended_on,
                outcome="Progress to support planning or services",
                recorded_by_id=city.user_id,
            )
        )

    carer = city.person("carertwice", D(1960, 1, 1))
    assessed(carer, D(2025, 5, 1))  # counted once
    assessed(carer, D(2026, 2, 1))
    assessed(city.person("carerone", D(1960, 1, 1)), D(2026, 3, 31))  # the last day
    assessed(city.person("carerlate", D(1960, 1, 1)), D(2026, 4, 1))  # next year: out
    assessed(city.person("notacarer", D(1960, 1, 1)), D(2025, 5, 1), AssessmentKind.NEEDS)


def _advocates(city) -> None:
    """Three concerns this year needing an advocate (SG-CONCERNS and SG-S42 count them,
    and SG-COMMUNITY: they are at home), of two people; one the year before."""
    first = city.person("advocated", D(1950, 1, 1))
    second = city.person("advocatedtoo", D(1950, 1, 1))
    earlier = city.person("advocatedbefore", D(1950, 1, 1))
    for pid, raised_at in (
        (first, dt.datetime(2025, 5, 1, 10, tzinfo=dt.UTC)),
        (first, dt.datetime(2025, 11, 1, 10, tzinfo=dt.UTC)),
        (second, dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)),
        (earlier, dt.datetime(2025, 2, 1, 10, tzinfo=dt.UTC)),
    ):
        concern_id = city.concern(pid, raised_at, "own_home")
        db.session.get(Concern, concern_id).needs_advocate = True


def _wellbeing_scores(city) -> None:
    """WEMWBS totals on assessments and reviews: each person's latest in the year, on
    the event's end day (its start while open)."""

    def assessment(pid, started_on, ended_on, score):
        db.session.add(
            CareAssessment(
                person_id=pid,
                kind=AssessmentKind.NEEDS,
                assessment_type="Long term assessment",
                method="Face to face",
                started_on=started_on,
                ended_on=ended_on,
                outcome="Progress to support planning or services" if ended_on else None,
                wemwbs_score=score,
                recorded_by_id=city.user_id,
            )
        )
        db.session.flush()  # ids in insertion order: the later row wins a tie

    def review(pid, ended_on, score):
        db.session.add(
            CareReview(
                person_id=pid,
                review_reason="Unplanned: Change in needs or circumstances",
                method="Face to face",
                started_on=ended_on - dt.timedelta(days=3),
                ended_on=ended_on,
                outcome="Progress to support planning or services",
                wemwbs_score=score,
                recorded_by_id=city.user_id,
            )
        )

    twice = city.person("wemtwice", D(1960, 1, 1))
    assessment(twice, D(2025, 4, 20), D(2025, 5, 1), 40)  # earlier in the year: not latest
    review(twice, D(2026, 1, 10), 50)  # latest: 50
    opened = city.person("wemopen", D(1960, 1, 1))
    assessment(opened, D(2025, 6, 1), None, 60)  # open: its start day counts
    last = city.person("wemlastday", D(1960, 1, 1))
    review(last, D(2026, 3, 31), 44)  # the last day: 44
    assessment(last, D(2026, 3, 25), D(2026, 4, 1), 70)  # ends next year: out
    before = city.person("wembefore", D(1960, 1, 1))
    assessment(before, D(2025, 3, 1), D(2025, 3, 31), 20)  # the year before: out
    same = city.person("wemsameday", D(1960, 1, 1))
    assessment(same, D(2025, 8, 20), D(2025, 9, 1), 30)
    review(same, D(2025, 9, 1), 36)  # the same day: the review, after the assessment
    unscored = city.person("wemunscored", D(1960, 1, 1))
    assessment(unscored, D(2025, 5, 1), D(2025, 5, 10), None)  # no score: out
