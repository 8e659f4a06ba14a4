"""The synthetic city against its calibration (seed/calibration.json).

One 5,000-person city is generated for the module, measured, and rolled back, in a
database of its own: other test modules commit people of their own for the whole run,
and the calibration is measured on the generated city alone. Each
tolerance is a number of binomial (or Poisson) standard deviations around the target for
the sample size at hand: wide enough for 5,000 people, tight enough that a rate off by a
factor of two fails.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.cli import cli
from caremap.core.extensions import db
from caremap.core.seeds import read_seed
from caremap.people.identifiers import is_valid_nhs_number, is_valid_postcode
from caremap.synthetic import generate_city
from tests.conftest import fresh_database_url, make_app, migrate

END = dt.date(2026, 3, 31)
PEOPLE = 5000
YEARS = 5
CAL = read_seed("calibration.json")
SCALE = PEOPLE / CAL["scale"]["city_population"]
SDS = 4  # standard deviations allowed


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def within(observed: float, expected: float, sd: float, k: float = SDS) -> bool:
    return abs(observed - expected) <= k * sd


def share_sd(p: float, n: int) -> float:
    return math.sqrt(p * (1 - p) / max(n, 1))


def _empty_app(name: str):
    """The app on a new database holding only the reference data."""
    from caremap.seed import seed_reference

    url = fresh_database_url(name)
    migrate(url)
    app = make_app(url)
    with app.app_context():
        seed_reference()
        db.session.commit()
    return app


@pytest.fixture(scope="module")
def empty_app():
    app = _empty_app("synthetic")
    yield app
    db.state(app).engine.dispose()


@pytest.fixture
def empty_ctx(empty_app):
    """An app context on the empty database; whatever a test writes is rolled back."""
    with empty_app.app_context():
        yield
        db.session.rollback()


@pytest.fixture(scope="module")
def city(empty_app):
    """Generate, measure inside one transaction, roll back; the tests read the figures."""
    app = empty_app
    state = db.state(app)
    connection = state.engine.connect()
    outer = connection.begin()
    state.factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        with app.app_context():
            report = generate_city(people=PEOPLE, years=YEARS, seed=42, end_on=END)
            measured = measure(report)
            db.session.close()
    finally:
        state.factory.configure(bind=state.engine, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()
    return measured


def t(name: str) -> sa.Table:
    from caremap.models import Base

    return Base.metadata.tables[name]


def select_all(stmt) -> list[Any]:
    return list(db.session.execute(stmt))


def measure(report) -> dict[str, Any]:
    """Read back what was written (typed selects, so dates are dates on SQLite too)."""
    m: dict[str, Any] = {"report": report}
    dup_ids = {p.duplicate_id for p in report.planted_duplicates}
    people = {r.id: r for r in select_all(sa.select(t("people")))}
    m["people"] = people
    m["originals"] = {pid: p for pid, p in people.items() if pid not in dup_ids}
    services, strands = t("services"), t("strands")
    episodes = t("episodes")
    m["episodes"] = select_all(
        sa.select(episodes, services.c.code.label("service")).join(
            services, services.c.id == episodes.c.service_id
        )
    )
    referrals = t("referrals")
    m["referrals"] = select_all(
        sa.select(
            referrals.c.id,
            referrals.c.status,
            referrals.c.redirected_from_id,
            referrals.c.responded_at,
            services.c.code.label("service"),
            strands.c.code.label("strand"),
        )
        .join(services, services.c.id == referrals.c.service_id)
        .join(strands, strands.c.id == services.c.strand_id)
    )
    m["decisions"] = select_all(sa.select(t("routing_decisions")))
    m["concerns"] = select_all(sa.select(t("safeguarding_concerns")))
    m["enquiries"] = select_all(sa.select(t("safeguarding_enquiries")))
    m["enquiry_risks"] = select_all(sa.select(t("safeguarding_enquiry_risks")))
    m["medicines"] = select_all(sa.select(t("medicines")))
    na = t("needs_assessments")
    m["assessments"] = select_all(sa.select(na).order_by(na.c.person_id, na.c.recorded_at, na.c.id))
    ctm = t("care_team_members")
    m["leads"] = select_all(
        sa.select(ctm.c.person_id, sa.func.count().label("n"))
        .where(ctm.c.is_lead.is_(True), ctm.c.ended_at.is_(None))
        .group_by(ctm.c.person_id)
    )
    m["carers"] = select_all(sa.select(t("related_people")))
    m["tasks"] = select_all(sa.select(t("tasks")))
    audit = t("audit_events")
    m["audit"] = select_all(sa.select(audit).where(audit.c.action == "synthetic.city_generated"))
    return m


def person_years(originals, low: int, high: int | None) -> float:
    """People-years lived at ages low..high over the history (by each year's middle)."""
    total = 0
    for y in range(YEARS):
        mid = END - dt.timedelta(days=365 * (YEARS - y) - 182)
        for p in originals.values():
            if p.date_of_birth > mid:
                continue
            a = age_on(p.date_of_birth, mid)
            if a >= low and (high is None or a <= high):
                total += 1
    return total


def test_rows_and_report(city):
    report = city["report"]
    assert report.people == PEOPLE
    assert report.rows["people"] == PEOPLE + len(report.planted_duplicates)
    for table in (
        "episodes",
        "referrals",
        "routing_decisions",
        "medicines",
        "users",
        "safeguarding_concerns",
        "needs_assessments",
        "care_team_members",
        "related_people",
        "tasks",
        "consent_records",
    ):
        assert report.rows[table] > 0, table
    assert len(city["audit"]) == 1  # one audit row for the whole generation


def test_identifiers_are_synthetic_and_valid(city):
    numbers = [p.nhs_number for p in city["people"].values() if p.nhs_number]
    assert len(numbers) == len(set(numbers)) > PEOPLE * 0.95
    assert all(n.startswith("999") and is_valid_nhs_number(n) for n in numbers)
    assert all(is_valid_postcode(p.postcode) for p in city["people"].values())
    districts = {d for a in read_seed("populations.json")["areas"] for d in a["postcode_districts"]}
    assert {p.postcode.split(" ")[0] for p in city["people"].values()} <= districts


def test_ages_follow_the_pyramid(city):
    bands = [b for a in read_seed("populations.json")["areas"] for b in a["bands"]]
    total = sum(b["population"] for b in bands)
    groups = [(0, 17), (18, 64), (65, 84), (85, None)]
    for low, high in groups:
        p = (
            sum(
                b["population"]
                for b in bands
                if b["age_from"] >= low and (high is None or (b["age_to"] or 999) <= high)
            )
            / total
        )
        n = sum(
            1
            for person in city["originals"].values()
            if low <= age_on(person.date_of_birth, END) <= (high or 999)
        )
        assert within(n / PEOPLE, p, share_sd(p, PEOPLE), 3), (low, high, n / PEOPLE, p)


def _emergency(city):
    return [e for e in city["episodes"] if e.kind == "hospital_admission" and e.is_emergency]


def test_emergency_admission_rates(city):
    cal = CAL["emergency_admissions"]
    admissions = _emergency(city)
    years_lived = person_years(city["originals"], 0, None)
    rate = len(admissions) / years_lived * 1000
    expected_n = cal["target_overall_per_1000"] / 1000 * years_lived
    # the pyramid and rates are meant to give about 85 a year; Poisson noise on top
    assert within(len(admissions), expected_n, math.sqrt(expected_n) + 0.1 * expected_n), rate
    old_years = person_years(city["originals"], 85, None)
    people = city["people"]
    old = [e for e in admissions if age_on(people[e.person_id].date_of_birth, e.started_on) >= 85]
    expected_old = cal["target_85_plus_per_1000"] / 1000 * old_years
    assert within(len(old), expected_old, math.sqrt(expected_old)), (len(old), expected_old)


def test_admission_conditions(city):
    people = city["people"]
    adult = [
        e for e in _emergency(city) if age_on(people[e.person_id].date_of_birth, e.started_on) >= 18
    ]
    acsc = sum(
        1
        for e in adult
        if e.admission_condition in ("chronic_acsc", "acute_acsc", "vaccine_preventable")
    )
    share = acsc / len(adult)
    assert 0.15 - 3 * share_sd(0.175, len(adult)) <= share <= 0.2 + 3 * share_sd(0.175, len(adult))
    children = [e for e in _emergency(city) if e.admission_condition.startswith("big6_")]
    assert children and all(
        age_on(people[e.person_id].date_of_birth, e.started_on) < 18 for e in children
    )
    delayed = [
        e
        for e in city["episodes"]
        if e.kind == "hospital_admission" and e.discharge_ready_on is not None
    ]
    assert delayed and all(e.discharge_ready_on < e.ended_on for e in delayed if e.ended_on)


def test_reablement_count_and_day91(city):
    cal = CAL["reablement"]
    episodes = [e for e in city["episodes"] if e.kind == "reablement"]
    per_year = cal["per_year_city"] * SCALE
    assert within(len(episodes), per_year * YEARS, 0.05 * per_year * YEARS, 1), len(episodes)
    assert all(e.service == "reablement" and e.referral_id for e in episodes)
    assert all(e.follow_up_due_on == e.discharged_on + dt.timedelta(days=91) for e in episodes)
    due = [e for e in episodes if e.follow_up_due_on <= END]
    at_home = sum(1 for e in due if e.day91_outcome == "at_home") / len(due)
    target = cal["day91_outcomes"]["at_home"]
    assert within(at_home, target, share_sd(target, len(due))), at_home
    assert sum(1 for e in due if e.day91_outcome is None) < 0.1 * len(due)
    # whoever died did so after any earlier day-91 point at which they were recorded alive
    people = city["people"]
    for e in due:
        died = people[e.person_id].date_of_death
        if e.day91_outcome == "died":
            assert e.discharged_on < died <= e.follow_up_due_on
        elif died is not None:
            assert died > e.follow_up_due_on


def test_care_home_admissions(city):
    cal = CAL["care_home_admissions"]
    people = city["people"]
    homes = [e for e in city["episodes"] if e.kind == "care_home_admission"]
    counted = [e for e in homes if e.is_permanent and not e.moved_from_care_home]
    old = [e for e in counted if age_on(people[e.person_id].date_of_birth, e.started_on) >= 65]
    years_65 = person_years(city["originals"], 65, None)
    expected = cal["per_100000_65_plus_a_year"] / 100000 * years_65
    assert within(len(old), expected, math.sqrt(expected), 3.5), (len(old), expected)
    assert any(e.moved_from_care_home for e in homes) or len(homes) < 40
    assert {e.care_home_type for e in homes} == {"residential", "nursing"}


def test_safeguarding(city):
    cal = CAL["safeguarding"]
    concerns = city["concerns"]
    expected = cal["concerns_per_year_city"] * SCALE * YEARS
    assert within(len(concerns), expected, 0.05 * expected, 1), len(concerns)
    triaged = [c for c in concerns if c.decision]
    s42 = sum(1 for c in triaged if c.decision == "section_42_enquiry")
    p = cal["section_42_share"]
    assert within(s42 / len(triaged), p, share_sd(p, len(triaged))), s42 / len(triaged)
    care_homes = sum(
        1 for c in concerns if c.risk_location in ("residential_care_home", "nursing_home")
    )
    p = cal["care_home_share"]
    assert within(care_homes / len(concerns), p, share_sd(p, len(concerns))), care_homes
    concluded = [e for e in city["enquiries"] if e.status == "concluded"]
    assert concluded and all(
        e.action_result and e.lacked_capacity and e.msp_asked for e in concluded
    )
    assert all(e.risk_remains_reason for e in concluded if e.risk_outcome == "remains")
    # The Safeguarding Adults Collection's shares (seed/calibration.json safeguarding.sac).
    sac = cal["sac"]
    p = sac["action_results"]["risk_identified_action_taken"]
    acted = sum(1 for e in concluded if e.action_result == "risk_identified_action_taken")
    assert within(acted / len(concluded), p, share_sd(p, len(concluded))), acted
    assert all(
        e.risk_outcome for e in concluded if e.action_result == "risk_identified_action_taken"
    )
    expressed = [e for e in concluded if e.msp_asked == "asked_outcomes_expressed"]
    assert all(e.outcomes_achieved for e in expressed)
    assert not any(
        e.outcomes_achieved for e in concluded if e.msp_asked != "asked_outcomes_expressed"
    )
    risks = city["enquiry_risks"]
    assert {e.id for e in city["enquiries"]} == {r.enquiry_id for r in risks}
    assert all(
        r.risk_source in ("service_provider", "known_to_the_person", "stranger") for r in risks
    )
    p = sac["types_of_risk"]["neglect_and_acts_of_omission"]
    neglect = sum(1 for r in risks if r.risk_type == "neglect_and_acts_of_omission")
    assert within(neglect / len(risks), p, share_sd(p, len(risks))), neglect / len(risks)


def test_medicines(city):
    cal = CAL["medicines"]
    active: Counter[int] = Counter(
        m.person_id
        for m in city["medicines"]
        if m.started_on <= END and (m.stopped_on is None or m.stopped_on > END)
    )
    living = [p for p in city["originals"].values() if p.date_of_death is None]
    over65 = [p for p in living if age_on(p.date_of_birth, END) >= 65]
    over85 = [p for p in living if age_on(p.date_of_birth, END) >= 85]
    share5 = sum(1 for p in over65 if active[p.id] >= 5) / len(over65)
    share8 = sum(1 for p in over85 if active[p.id] >= 8) / len(over85)
    p5, p8 = cal["target_65_plus_five_plus"], cal["target_85_plus_eight_plus"]
    assert within(share5, p5, share_sd(p5, len(over65)) + 0.02), share5
    assert within(share8, p8, share_sd(p8, len(over85)), 3.5), share8
    # everyone at the polypharmacy threshold has a review task, done if reviewed
    flagged = {p.id for p in living if active[p.id] >= cal["polypharmacy_flag_at"]}
    reviews = [task for task in city["tasks"] if task.kind == "medication_review"]
    assert {task.person_id for task in reviews} == flagged
    done = sum(1 for task in reviews if task.status == "done") / len(reviews)
    p = cal["reviewed_share_flagged"]
    assert within(done, p, share_sd(p, len(reviews))), done


def test_cohorts_scaled(city):
    latest: dict[int, str | None] = {}
    for a in city["assessments"]:
        latest[a.person_id] = a.override_cohort or a.derived_cohort
    counts = Counter(latest.values())
    mn = CAL["multiple_needs"]
    for cohort in ("core", "edge", "stable"):
        assert counts[cohort] == round(mn[f"{cohort}_city"] * SCALE), (cohort, counts)


def test_referrals_strands_routing_and_redirects(city):
    referrals = city["referrals"]
    strands = {r.strand for r in referrals}
    assert {"multiple_needs", "urgent_care", "long_term_support", "wellbeing", "access"} <= strands
    by_id = {r.id: r for r in referrals}
    onward = [r for r in referrals if r.redirected_from_id]
    assert onward and all(by_id[r.redirected_from_id].status == "redirected" for r in onward)
    assert sum(1 for r in referrals if r.status == "redirected") == len(onward)
    assert all(r.responded_at for r in referrals if r.status not in ("received", "routed"))
    # redirects among services whose referrals are never forced to be accepted
    free = {
        "social_prescribing",
        "weight_management",
        "stop_smoking",
        "carer_support",
        "pharmacist_medication_review",
        "urgent_community_response",
        "mental_health_crisis",
        "paediatric_big_6",
        "community_equipment",
    }
    answered = [
        r for r in referrals if r.service in free and r.responded_at and not r.redirected_from_id
    ]
    share = sum(1 for r in answered if r.status == "redirected") / len(answered)
    p = CAL["referrals"]["redirected_share"]
    assert within(share, p, share_sd(p, len(answered))), share
    kinds = Counter(d.kind for d in city["decisions"])
    assert kinds["rules"] and kinds["fall_through"] and kinds["redirect"]
    fired = [d for d in city["decisions"] if d.kind == "rules"]
    explanation = fired[0].explanation
    assert explanation[0]["rule"] and explanation[0]["matched"]


def test_self_directed_support(city):
    sds = [e for e in city["episodes"] if e.kind == "self_directed_support" and not e.ended_on]
    self_directed = sum(1 for e in sds if e.support_type != "council_managed") / len(sds)
    direct = sum(1 for e in sds if e.support_type == "direct_payment") / len(sds)
    types = CAL["long_term_support"]["support_types"]
    p = 1 - types["council_managed"]
    assert within(self_directed, p, share_sd(p, len(sds))), self_directed
    p = types["direct_payment"]
    assert within(direct, p, share_sd(p, len(sds))), direct
    homeless = [e for e in city["episodes"] if e.kind == "homelessness_prevention" and e.ended_on]
    assert homeless and all(e.homelessness_outcome for e in homeless)


def test_key_workers_and_carers(city):
    assert city["leads"] and all(row.n == 1 for row in city["leads"])
    carers = city["carers"]
    assert carers and all(c.is_carer for c in carers)
    assert {c.involved_in_care for c in carers} >= {True, False}
    assert any(c.carer_person_id for c in carers)


def test_planted_duplicates(city):
    planted = city["report"].planted_duplicates
    assert len(planted) == round(PEOPLE * 0.01)
    kinds = Counter(pair.kind for pair in planted)
    assert set(kinds) == set(CAL["duplicates"]["kinds"]), kinds
    people = city["people"]
    for pair in planted:
        original, duplicate = people[pair.original_id], people[pair.duplicate_id]
        assert duplicate.nhs_number is None
        same = (
            original.given_name == duplicate.given_name,
            original.family_name == duplicate.family_name,
            original.date_of_birth == duplicate.date_of_birth,
            original.postcode == duplicate.postcode,
        )
        assert same.count(False) == 1, (pair, same)


# ---- reproducibility and the command line ---------------------------------------------------


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for table in ("people", "episodes", "referrals", "medicines", "safeguarding_concerns"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table} ORDER BY id")):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def test_same_seed_same_rows(empty_ctx):
    fingerprints = []
    for seed in (7, 7, 8):
        db.session.begin_nested()
        generate_city(people=400, years=2, seed=seed, end_on=END)
        fingerprints.append(_fingerprint())
        db.session.rollback()
    assert fingerprints[0] == fingerprints[1]
    assert fingerprints[0] != fingerprints[2]


def test_adds_beside_people_already_there(empty_ctx):
    """The function (not the command) may add a city beside existing records."""
    first = generate_city(people=50, years=1, seed=1, end_on=END, duplicate_rate=0)
    second = generate_city(people=50, years=1, seed=1, end_on=END, duplicate_rate=0)
    assert second.rows["people"] == 50
    people = t("people")
    numbers = [n for (n,) in db.session.execute(sa.select(people.c.nhs_number)) if n]
    assert len(numbers) == len(set(numbers))
    total = db.session.scalar(sa.select(sa.func.count()).select_from(people))
    assert total == first.rows["people"] + second.rows["people"]


def test_command_line(tmp_path):
    app = _empty_app("synthetic_cli")  # the command commits: a database for it alone
    truth = tmp_path / "truth.json"
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli,
        [
            "seed",
            "city",
            "--people",
            "300",
            "--years",
            "1",
            "--seed",
            "3",
            "--end-on",
            "2026-03-31",
            "--truth",
            str(truth),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Generated 300 people" in result.output
    pairs = json.loads(truth.read_text())["pairs"]
    assert len(pairs) == 3 and {"original_id", "duplicate_id", "kind"} <= set(pairs[0])
    again = runner.invoke(cli, ["seed", "city", "--people", "10", "--end-on", "2026-03-31"])
    assert again.exit_code != 0 and "already has people" in again.output
    db.state(app).engine.dispose()
