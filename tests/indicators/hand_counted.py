"""A small city whose indicators were counted by hand, edge cases included.

Everyone lives in a test area (ZZ1 postcodes, area E99999999) so the figures, computed
with that area's filter, are independent of whatever else the database holds. A few
people live elsewhere (PL1) to prove the area filter leaves them out. The expected
figures, and why, are in EXPECTED; the period is the financial year 2025-26 and
"today" is 1 June 2026.
"""

from __future__ import annotations

import datetime as dt
import itertools

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service
from caremap.cohorts.models import NeedsAssessment
from caremap.core.extensions import db
from caremap.episodes.models import Episode
from caremap.indicators.models import Area, PopulationEstimate, PostcodeDistrict
from caremap.medicines.models import MedicationReview, Medicine
from caremap.people.models import Person, RelatedPerson
from caremap.referrals.models import Referral, ReferralSubmission
from caremap.safeguarding.models import Concern, Enquiry
from tests.indicators.hand_counted_cld import EXPECTED_CLD, build_cld

AREA = "E99999999"
PERIOD = "2025-26"
TODAY = dt.date(2026, 6, 1)
D = dt.date

# code: (numerator, denominator, value), hand-counted; the reasons are beside each case.
EXPECTED = {
    "ASCOF-2B": (3, 8, 37.5),
    "BCF-DTOC": (47, 8000, 587.5),
    "LOCAL-AVOIDABLE-ADMISSIONS": (3, 10000, 30.0),
    "PAED-BIG6": (1, None, 1),
    "ASCOF-1C-SDS": (2, 3, 200 / 3),
    "ASCOF-1C-DP": (1, 3, 100 / 3),
    "ASCOF-3C": (2, 3, 200 / 3),
    # three of the concerns are hand_counted_cld.py's, needing an advocate (at home)
    "SG-CONCERNS": (7, None, 7),
    "SG-S42": (1, 7, 100 / 7),
    "SG-COMMUNITY": (5, 7, 500 / 7),
    "SG-ENQUIRIES-COMPLETED": (3, None, 3),
    "SG-RISK-REDUCED": (2, 3, 200 / 3),
    "SG-OUTCOMES-ACHIEVED": (2, 3, 200 / 3),
    "REF-NEW": (6, None, 6),
    "REF-ON-TIME": (3, 6, 50.0),
    "REF-DAYS-TO-CONTACT": (None, 4, 1.5),
    "REF-REDIRECTED": (1, 7, 100 / 7),
    "REF-REREFERRAL-6M": (2, 6, 100 / 3),
    "MED-POLYPHARMACY": (2, None, 2),
    "MED-HIGH-RISK": (1, None, 1),
    "MED-REVIEWED": (1, 2, 50.0),
    "MN-CORE": (2, None, 2),
    "MN-EDGE": (2, None, 2),
    "MN-STABLE": (1, None, 1),
    "MN-KEY-WORKER": (1, 5, 20.0),
    "HOUSING-PREVENTED": (2, None, 2),
    # ASCOF 2B/2C (the strategy's 2A) and the CLD-era indicators: hand_counted_cld.py
    **EXPECTED_CLD,
}


class City:
    """Builds the hand-counted rows; `names` maps a case's name to its person id."""

    def __init__(self) -> None:
        self.user_id = db.session.scalar(sa.select(User.id).order_by(User.id).limit(1))
        self.services = dict(db.session.execute(sa.select(Service.code, Service.id)).all())
        self.names: dict[str, int] = {}
        self._refs = itertools.count(1)

    def person(self, name: str, born: dt.date, *, died=None, postcode="ZZ1 1AA", merged=False):
        n = next(self._refs)
        person = Person(
            local_ref=f"HC{n:06d}",
            given_name=name,
            family_name="Handcount",
            search_name=f"{name.lower()} handcount",
            date_of_birth=born,
            date_of_death=died,
            postcode=postcode,
            registered_by_team_id=db.session.get(User, self.user_id).team_id,
            status="merged" if merged else "live",
        )
        db.session.add(person)
        db.session.flush()
        self.names[name] = person.id
        return person.id

    def episode(self, person_id: int, service: str, kind: str, started_on, **fields) -> None:
        db.session.add(
            Episode(
                person_id=person_id,
                service_id=self.services[service],
                kind=kind,
                started_on=started_on,
                created_by_id=self.user_id,
                **fields,
            )
        )

    def referral(self, person_id, service, received_at, *, hours_due, responded_after=None, **kw):
        submission = ReferralSubmission(person_id=person_id, submitted_by_id=self.user_id)
        db.session.add(submission)
        db.session.flush()
        referral = Referral(
            reference=f"HCR{next(self._refs):06d}",
            submission_id=submission.id,
            person_id=person_id,
            service_id=self.services[service],
            source="gp",
            referrer_name="Dr Hand",
            referrer_contact="01752 000000",
            urgency="urgent",
            consent_to_share=True,
            received_at=received_at,
            due_at=received_at + dt.timedelta(hours=hours_due),
            responded_at=(
                received_at + dt.timedelta(hours=responded_after) if responded_after else None
            ),
            status=kw.pop("status", "accepted" if responded_after else "routed"),
            created_by_id=self.user_id,
            **kw,
        )
        db.session.add(referral)
        db.session.flush()
        return referral.id

    def concern(self, person_id, raised_at, location, decision=None):
        concern = Concern(
            reference=f"HCS{next(self._refs):06d}",
            person_id=person_id,
            raised_by_id=self.user_id,
            raised_at=raised_at,
            categories=["neglect_and_acts_of_omission"],
            risk_location=location,
            risk_source="unknown",
            immediate_actions="Visited",
            what_happened="Hand-counted",
            person_wishes="To be safe",
            needs_advocate=False,
            capacity="has_capacity",
            status=decision or "awaiting_triage",
            decision=decision,
            triage_due_at=raised_at + dt.timedelta(days=2),
        )
        db.session.add(concern)
        db.session.flush()
        return concern.id

    def enquiry(self, person_id, *, s42=True, closed_on=None, risk=None, outcomes=None):
        concern_id = self.concern(
            person_id,
            utc(2025, 3, 1),  # raised in the year before: not among this year's concerns
            "own_home",
            "section_42_enquiry" if s42 else "other_enquiry",
        )
        db.session.add(
            Enquiry(
                concern_id=concern_id,
                person_id=person_id,
                is_section_42=s42,
                lead_id=self.user_id,
                started_on=D(2025, 4, 3),
                status="concluded" if closed_on else "open",
                closed_on=closed_on,
                risk_outcome=risk,
                outcomes_achieved=outcomes,
            )
        )

    def medicines(self, person_id, count, *, stopped_on=None):
        for i in range(count):
            db.session.add(
                Medicine(
                    person_id=person_id,
                    name=f"Medicine {i}",
                    dose="1 tablet",
                    route="oral",
                    frequency="daily",
                    started_on=D(2024, 1, 1),
                    stopped_on=stopped_on if i == 0 else None,
                    source="gp_record",
                    recorded_by_id=self.user_id,
                )
            )

    def review(self, person_id, reviewed_on):
        db.session.add(
            MedicationReview(
                person_id=person_id,
                reviewed_on=reviewed_on,
                reviewed_by_id=self.user_id,
                stopped=[],
                outcome="Reviewed",
            )
        )

    def assessment(self, person_id, cohort, recorded_at, *, override=None):
        db.session.add(
            NeedsAssessment(
                person_id=person_id,
                assessed_on=recorded_at.date(),
                assessed_by_id=self.user_id,
                homelessness=True,
                substance_misuse=True,
                offending=False,
                mental_health=True,
                domestic_abuse=False,
                engagement="engaging",
                stability="stable",
                derived_cohort=cohort,
                override_cohort=override,
                override_reason="Worker's judgement" if override else None,
                recorded_at=recorded_at,
            )
        )

    def lead(self, person_id, started_at, ended_at=None):
        db.session.add(
            CareTeamMember(
                person_id=person_id,
                user_id=self.user_id,
                role="Key worker",
                is_lead=True,
                started_at=started_at,
                ended_at=ended_at,
                end_reason="Handed over" if ended_at else None,
            )
        )

    def carer(self, person_id, involved, *, active=True, created_at=None):
        db.session.add(
            RelatedPerson(
                person_id=person_id,
                name="A Carer",
                relationship_to_person="daughter",
                is_carer=True,
                involved_in_care=involved,
                is_active=active,
                recorded_by_id=self.user_id,
                created_at=created_at or utc(2025, 5, 1),
            )
        )


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


def build() -> City:
    db.session.add(Area(code=AREA, name="Hand-counted test area"))
    db.session.add(PostcodeDistrict(district="ZZ1", area_code=AREA))
    for age_from, age_to, population in ((0, 17, 2000), (18, 64, 6000), (65, None, 2000)):
        db.session.add(
            PopulationEstimate(
                area_code=AREA,
                year=2025,
                age_from=age_from,
                age_to=age_to,
                population=population,
                source="hand-counted test figures",
            )
        )
    db.session.flush()
    city = City()
    _reablement(city)
    _care_homes(city)
    _delays_and_admissions(city)
    _self_directed_support(city)
    _carers(city)
    _safeguarding(city)
    _referrals(city)
    _medicines(city)
    _cohorts(city)
    _housing(city)
    build_cld(city)
    db.session.flush()
    return city


def _reablement(city: City) -> None:
    def discharged(name, born, on, outcome, **person):
        pid = city.person(name, born, **person)
        city.episode(pid, "reablement", "reablement", on, discharged_on=on, day91_outcome=outcome)

    discharged("home80", D(1945, 3, 1), D(2025, 10, 15), "at_home")  # num + den
    discharged("turns65", D(1960, 11, 20), D(2025, 11, 20), "at_home")  # 65 that day: in
    discharged("turns65late", D(1960, 11, 21), D(2025, 11, 20), "at_home")  # 64: out
    discharged("newyearseve", D(1940, 1, 1), D(2025, 12, 31), "at_home")  # last day: in
    discharged("newyearsday", D(1940, 1, 1), D(2026, 1, 1), "at_home")  # after Q3: out
    discharged("september", D(1940, 1, 1), D(2025, 9, 30), "at_home")  # before Q3: out
    discharged("diedday90", D(1940, 1, 1), D(2025, 10, 1), "died", died=D(2025, 12, 30))
    discharged("notrecorded", D(1940, 1, 1), D(2025, 10, 2), None)  # den only
    discharged("carehome", D(1940, 1, 1), D(2025, 10, 3), "in_care_home")  # den only
    discharged("hospital", D(1940, 1, 1), D(2025, 10, 4), "in_hospital")  # den only
    # recorded at home, but the record says they died on day 91: den only
    discharged("homebutdied", D(1940, 1, 1), D(2025, 10, 5), "at_home", died=D(2026, 1, 4))
    discharged("merged", D(1940, 1, 1), D(2025, 10, 6), "at_home", merged=True)  # out
    discharged("elsewhere", D(1940, 1, 1), D(2025, 10, 7), "at_home", postcode="PL1 1AA")


def _care_homes(city: City) -> None:
    def admitted(name, born, on, care_home_type="residential", permanent=True, moved=False):
        pid = city.person(name, born)
        city.episode(
            pid,
            "home_care_long_term",
            "care_home_admission",
            on,
            care_home_type=care_home_type,
            is_permanent=permanent,
            moved_from_care_home=moved,
        )

    admitted("admit70", D(1955, 1, 1), D(2025, 5, 1))  # 65+
    admitted("admit80lastday", D(1945, 1, 1), D(2026, 3, 31), "nursing")  # 65+
    admitted("movedhomes", D(1945, 1, 1), D(2025, 6, 1), "nursing", moved=True)  # out
    admitted("temporary", D(1945, 1, 1), D(2025, 6, 1), permanent=False)  # out
    admitted("admit64", D(1960, 7, 2), D(2025, 7, 1))  # 64 the day before turning 65: 18-64
    admitted("nextyear", D(1945, 1, 1), D(2026, 4, 1))  # out
    admitted("admit65today", D(1960, 8, 1), D(2025, 8, 1))  # 65 that day: 65+


def _delays_and_admissions(city: City) -> None:
    def stay(name, born, ready, left, **fields):
        pid = city.person(name, born)
        city.episode(
            pid,
            "hospital_discharge",
            "hospital_admission",
            ready - dt.timedelta(days=5),
            ended_on=left,
            is_emergency=fields.pop("is_emergency", False),
            discharge_ready_on=ready,
            **fields,
        )
        return pid

    stay("delay10", D(1985, 1, 1), D(2025, 6, 1), D(2025, 6, 11))  # 10 days
    stay("delayacrossapril", D(1985, 1, 1), D(2025, 3, 25), D(2025, 4, 5))  # 1–4 April: 4
    stay("delayacrossmarch", D(1985, 1, 1), D(2026, 3, 30), D(2026, 4, 10))  # 30, 31 March: 2
    stay("stillin", D(1985, 1, 1), D(2026, 3, 1), None)  # all of March: 31
    stay("child", D(2010, 1, 1), D(2025, 6, 1), D(2025, 6, 20))  # 15: out
    stay("readyleftsameday", D(1985, 1, 1), D(2025, 9, 1), D(2025, 9, 1))  # 0
    stay("leftonfirstday", D(1985, 1, 1), D(2025, 3, 20), D(2025, 4, 1))  # no day in period

    def emergency(name, born, on, condition, is_emergency=True):
        pid = city.person(name, born)
        city.episode(
            pid,
            "hospital_discharge",
            "hospital_admission",
            on,
            ended_on=on + dt.timedelta(days=2),
            is_emergency=is_emergency,
            admission_condition=condition,
        )

    emergency("copd", D(1950, 1, 1), D(2025, 5, 1), "chronic_acsc")  # avoidable
    emergency("diabetes", D(1950, 1, 1), D(2025, 6, 1), "chronic_acsc")  # avoidable
    emergency("uti", D(1950, 1, 1), D(2025, 7, 1), "acute_acsc")  # avoidable
    emergency("fracture", D(1950, 1, 1), D(2025, 7, 1), "other")  # not avoidable
    emergency("planned", D(1950, 1, 1), D(2025, 7, 1), "chronic_acsc", is_emergency=False)
    emergency("asthma5", D(2020, 1, 1), D(2025, 9, 1), "big6_asthma")  # Big 6
    emergency("fever18today", D(2007, 9, 1), D(2025, 9, 1), "big6_fever")  # 18: out
    emergency("adultbig6", D(1990, 1, 1), D(2025, 9, 1), "big6_head_injury")  # adult: out


def _self_directed_support(city: City) -> None:
    both = city.person("sdsdirect", D(1950, 1, 1))
    city.episode(both, "home_care_long_term", "general", D(2024, 1, 1))
    city.episode(
        both,
        "personal_budgets",
        "self_directed_support",
        D(2024, 1, 1),
        support_type="direct_payment",
    )
    budget = city.person("sdsbudget", D(1950, 1, 1))
    city.episode(budget, "home_care_long_term", "general", D(2024, 1, 1))
    city.episode(
        budget,
        "personal_budgets",
        "self_directed_support",
        D(2024, 1, 1),
        support_type="personal_budget",
    )
    council = city.person("sdscouncil", D(1950, 1, 1))
    city.episode(council, "supported_living", "general", D(2024, 1, 1))
    city.episode(
        council,
        "personal_budgets",
        "self_directed_support",
        D(2024, 1, 1),
        support_type="council_managed",
    )
    ended = city.person("sdsended", D(1950, 1, 1))  # ended on the last day: not open
    city.episode(ended, "supported_living", "general", D(2024, 1, 1), ended_on=D(2026, 3, 31))
    later = city.person("sdslater", D(1950, 1, 1))  # starts after the period
    city.episode(
        later,
        "personal_budgets",
        "self_directed_support",
        D(2026, 4, 1),
        support_type="direct_payment",
    )


def _carers(city: City) -> None:
    cared = city.person("caredfor", D(1940, 1, 1))
    city.carer(cared, True)
    city.carer(cared, True)
    city.carer(cared, False)
    city.carer(cared, None)  # not recorded: out
    city.carer(cared, True, active=False)  # no longer a carer: out
    city.carer(cared, True, created_at=utc(2026, 4, 1))  # recorded after the period: out


def _safeguarding(city: City) -> None:
    at_risk = city.person("atrisk", D(1940, 1, 1))
    city.concern(at_risk, utc(2025, 4, 1), "own_home", "section_42_enquiry")
    city.concern(at_risk, utc(2025, 6, 1), "residential_care_home", "other_enquiry")
    city.concern(at_risk, utc(2025, 9, 1), "community", "no_further_action")
    # 23:30 on the last day, London time (BST): awaiting triage, in. This row was written as
    # 23:00 UTC, which is midnight BST, the first moment of 1 April: the new year
    city.concern(at_risk, utc(2026, 3, 31, 22, 30), "nursing_home")
    city.concern(at_risk, utc(2026, 3, 31, 23, 30), "own_home")  # 00:30 BST 1 April: out
    city.concern(at_risk, utc(2026, 4, 1), "own_home")  # after the period: out
    enquired = city.person("enquired", D(1940, 1, 1))
    city.enquiry(enquired, closed_on=D(2025, 8, 1), risk="reduced", outcomes="fully")
    city.enquiry(enquired, closed_on=D(2025, 9, 1), risk="removed", outcomes="partly")
    city.enquiry(enquired, closed_on=D(2026, 3, 31), risk="remains", outcomes="not")
    city.enquiry(enquired, s42=False, closed_on=D(2025, 9, 1), risk="reduced")  # not s42
    city.enquiry(enquired, closed_on=None)  # still open: out


def _referrals(city: City) -> None:
    first = city.person("referred", D(1970, 1, 1))
    other = city.person("referredtoo", D(1970, 1, 1))
    r = city.referral
    r(first, "reablement", utc(2025, 5, 1, 10), hours_due=48, responded_after=24)  # 1.0 day
    r(other, "reablement", utc(2025, 6, 1), hours_due=48, responded_after=72, status="declined")
    r(other, "telecare", utc(2025, 7, 1), hours_due=2)  # unanswered, past due: late
    redirected = r(
        other,
        "home_care_short_term",
        utc(2025, 8, 1),
        hours_due=48,
        responded_after=12,
        status="redirected",
    )  # answered on time (0.5 day) by redirecting
    r(  # the redirected leg: not new; its deadline is after today, so not yet late
        other, "reablement", utc(2025, 8, 1, 12), hours_due=8000, redirected_from_id=redirected
    )
    r(first, "reablement", utc(2025, 9, 1), hours_due=48, responded_after=48)  # re-referral
    r(first, "reablement", utc(2026, 4, 1), hours_due=48)  # after the period: out
    r(first, "reablement", utc(2025, 12, 1), hours_due=336)  # re-referral, late


def _medicines(city: City) -> None:
    four = city.person("fourmeds", D(1950, 1, 1))
    city.medicines(four, 4)
    city.review(four, D(2025, 6, 1))
    ten = city.person("tenmeds", D(1950, 1, 1))
    city.medicines(ten, 10)
    city.review(ten, D(2025, 3, 31))  # 365 days before the end: outside the window
    stopped = city.person("stoppedone", D(1950, 1, 1))
    city.medicines(stopped, 4, stopped_on=D(2026, 3, 31))  # three on the last day


def _cohorts(city: City) -> None:
    core = city.person("core", D(1980, 1, 1))
    city.assessment(core, "core", utc(2025, 5, 1))
    city.lead(core, utc(2025, 5, 2))
    reassessed = city.person("corethenstable", D(1980, 1, 1))
    city.assessment(reassessed, "core", utc(2025, 5, 1))
    city.assessment(reassessed, "stable", utc(2026, 4, 2))  # after the period
    edge = city.person("edge", D(1980, 1, 1))
    city.assessment(edge, "edge", utc(2025, 5, 1))
    city.lead(edge, utc(2025, 5, 2), ended_at=utc(2026, 1, 1))  # no lead at the end
    overridden = city.person("overridden", D(1980, 1, 1))
    city.assessment(overridden, "core", utc(2025, 5, 1), override="edge")
    stable = city.person("stable", D(1980, 1, 1))
    city.assessment(stable, "stable", utc(2025, 5, 1))
    city.lead(stable, utc(2026, 4, 1))  # lead from after the period: not counted


def _housing(city: City) -> None:
    for name, outcome, ended in (
        ("prevented1", "prevented", D(2025, 6, 1)),
        ("prevented2", "prevented", D(2026, 3, 31)),
        ("relieved", "relieved", D(2025, 6, 1)),
        ("preventedlate", "prevented", D(2026, 4, 1)),
    ):
        pid = city.person(name, D(1990, 1, 1))
        city.episode(
            pid,
            "homelessness_prevention",
            "homelessness_prevention",
            D(2025, 4, 1),
            ended_on=ended,
            homelessness_outcome=outcome,
        )
