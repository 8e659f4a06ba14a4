"""The synthetic city's long-term support: every episode that is a CLD service has its
package, every package its assessment, the values are on the CLD lists, and the review
rate is the calibrated one (a city of its own, rolled back)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.core.extensions import db
from caremap.core.seeds import read_seed
from caremap.episodes.models import Episode
from caremap.longterm.enums import AssessmentKind
from caremap.longterm.lists import values
from caremap.longterm.models import CareAssessment, CarePackage, CareReview, SocialCareProfile
from caremap.people.models import Person
from caremap.referrals.models import Referral
from caremap.seed import seed_reference
from caremap.synthetic import generate_city
from tests.conftest import fresh_database_url, make_app, migrate

END = dt.date(2026, 3, 31)
CAL = read_seed("calibration.json")["long_term_support_events"]
CODED = {
    SocialCareProfile: {
        "client_type": "client_type",
        "primary_support_reason": "primary_support_reason",
        "accommodation_status": "accommodation_status",
        "employment_status": "employment_status",
        "ethnicity": "ethnicity",
        "visual_impairment": "impairment",
        "hearing_impairment": "impairment",
        "client_funding_status": "client_funding_status",
    },
    CareAssessment: {
        "assessment_type": "assessment_type",
        "method": "method_of_assessment",
        "outcome": "event_outcome",
    },
    CarePackage: {
        "service_type": "service_type",
        "service_component": "service_component",
        "delivery_mechanism": "delivery_mechanism",
        "cost_frequency": "cost_frequency",
        "funded_by": "client_funding_status",
        "outcome": "event_outcome",
    },
    CareReview: {
        "review_reason": "review_reason",
        "method": "method_of_review",
        "outcomes_achieved": "review_outcomes_achieved",
        "outcome": "event_outcome",
    },
}


@pytest.fixture(scope="module")
def city():
    url = fresh_database_url("longterm_city")
    migrate(url)
    app = make_app(url)
    with app.app_context():
        seed_reference()
        db.session.commit()
        generate_city(people=3000, years=4, seed=7, end_on=END)
        yield app
        db.session.rollback()
    db.state(app).engine.dispose()


def test_every_service_episode_is_one_package_with_its_assessment(city):
    kinds = ("care_home_admission", "reablement", "self_directed_support")
    episodes = db.session.scalar(
        sa.select(sa.func.count()).select_from(Episode).where(Episode.kind.in_(kinds))
    )
    packages = db.session.scalars(sa.select(CarePackage)).all()
    assert episodes > 100 and len(packages) == episodes
    assert len({p.episode_id for p in packages}) == episodes
    assessments = {a.id: a for a in db.session.scalars(sa.select(CareAssessment))}
    for package in packages:
        assessment = assessments[package.assessment_id]
        assert assessment.person_id == package.person_id
        assert assessment.ended_on <= package.started_on or package.started_on > END


def test_the_values_are_on_the_cld_lists(city):
    for model, columns in CODED.items():
        for column, list_name in columns.items():
            used = set(db.session.scalars(sa.select(getattr(model, column)).distinct()))
            assert used - {None} <= set(values(list_name)), (model, column, used)


def test_one_profile_for_each_person_with_a_cld_event(city):
    """People with a package, assessed carers and adults with a Request: the people a
    CLD row is written for, each with one profile (CLD makes its fields mandatory)."""
    with_packages = set(db.session.scalars(sa.select(CarePackage.person_id).distinct()))
    carers = set(
        db.session.scalars(
            sa.select(CareAssessment.person_id).where(CareAssessment.kind == AssessmentKind.CARERS)
        )
    )
    table = read_seed("cld/requests.json")
    requests = db.session.execute(
        sa.select(Referral.person_id, Referral.received_at, Person.date_of_birth)
        .join(Person, Person.id == Referral.person_id)
        .join(Service, Service.id == Referral.service_id)
        .join(Strand, Strand.id == Service.strand_id)
        .where(
            Strand.code.in_(table["request_strands"]),
            Service.code.notin_(table["not_requests"]["services"]),
        )
    ).all()
    requesters = {
        person_id
        for person_id, received_at, born in requests
        if (received_at.date() - born).days >= 18 * 366  # an adult however leap years fall
    }
    profiles = db.session.execute(
        sa.select(SocialCareProfile.person_id, SocialCareProfile.primary_support_reason)
    ).all()
    ids = [person_id for person_id, _ in profiles]
    assert len(ids) == len(set(ids))
    assert with_packages | carers | requesters <= set(ids)
    assert requesters - with_packages and carers - with_packages  # the city has both
    reasons = dict(profiles)
    only_carers = carers - with_packages - requesters
    assert {reasons[p] for p in only_carers} == {"Social support: Support to unpaid carer"}


def test_wemwbs_scores_on_the_scale_at_the_calibrated_share(city):
    for model in (CareAssessment, CareReview):
        scores = [s for s in db.session.scalars(sa.select(model.wemwbs_score))]
        scored = [s for s in scores if s is not None]
        assert scored and all(14 <= s <= 70 for s in scored)
        share, n = CAL["wemwbs"]["share_scored"], len(scores)
        assert abs(len(scored) - share * n) <= 4 * math.sqrt(n * share * (1 - share))


def test_events_sit_within_the_persons_life_and_the_history(city):
    for model in (CareAssessment, CarePackage, CareReview):
        rows = db.session.execute(
            sa.select(
                model.started_on, model.ended_on, Person.date_of_birth, Person.date_of_death
            ).join(Person, Person.id == model.person_id)
        ).all()
        for started, ended, born, died in rows:
            assert born <= started and (ended is None or started <= ended <= END)
            assert died is None or ended is None or ended <= died or model is CareAssessment


def test_planned_reviews_come_at_the_calibrated_rate(city):
    """Of long-term packages open a whole year within the history, the share with a planned
    review that year (binomial, four standard deviations)."""
    packages = db.session.scalars(
        sa.select(CarePackage).where(CarePackage.service_type.like("Long term support%"))
    ).all()
    planned = {
        (r.care_package_id, r.started_on)
        for r in db.session.scalars(
            sa.select(CareReview).where(CareReview.review_reason.like("Planned%"))
        )
    }
    start = END - dt.timedelta(days=365 * 4 - 1)
    due = [
        (p.id, p.started_on + dt.timedelta(days=365 * k))
        for p in packages
        for k in range(1, 10)
        if start <= p.started_on + dt.timedelta(days=365 * k) <= min(p.ended_on or END, END)
    ]
    assert len(due) > 100
    share = sum(1 for d in due if d in planned) / len(due)
    p = CAL["planned_review_share_a_year"]
    assert abs(share - p) <= 4 * math.sqrt(p * (1 - p) / len(due)), share


def test_carers_assessments_name_the_person_cared_for(city):
    carers = db.session.scalars(
        sa.select(CareAssessment).where(CareAssessment.kind == "carers_assessment")
    ).all()
    assert carers
    assert all(c.cared_for_person_id and c.cared_for_person_id != c.person_id for c in carers)
    assert all(c.hours_caring_per_week is not None for c in carers)
