"""Every person-scoped route (pages and API) × every kind of viewer × the expected status.

The routes come from `app.url_map`: any rule with a person id in it, or the id of
something that leads to a person (a referral, episode, task, concern, enquiry …), must
have an entry in MATRIX keyed by its URL rule and method. A new person-scoped route
without one fails `test_every_person_scoped_route_has_an_entry`, naming the route.

One person, registered by the admin team, with: a lead key worker (hub), a care team
member (a GP practitioner, who also raised a safeguarding concern), a referral to
reablement (made by a referrer with no relationship of their own) and an episode with
carer support, a practitioner with break-glass access in force and one whose access
has expired. Refusals are 404 and carry none of the person's details. Writes send a
well-formed body: with a stale version where there is one, so those let in stop at the
version check; the others' writes are rolled back with the test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.access.models import BreakGlass
from caremap.core.extensions import db
from caremap.longterm import operations as longterm
from caremap.longterm import schemas as longterm_args
from caremap.people import operations as people
from caremap.people.schemas import RelatedPersonArgs
from caremap.safeguarding import operations as safeguarding
from caremap.transitions.operations import record_plan
from tests import factories
from tests.conftest import PASSWORD
from tests.longterm import bodies as longterm_bodies
from tests.safeguarding.answers import SAC_ANSWERS

GIVEN, FAMILY, NHS, BORN, POSTCODE = (
    "Wilhelmina",
    "Trethewey",
    "9434765889",
    "1938-09-14",
    "PL2 1AA",
)
SECRETS = (
    GIVEN,
    FAMILY,
    NHS,
    "943 476 5889",
    BORN,
    "14 September 1938",
    POSTCODE,
    "I want to stay at home",
    "Left without meals",
)

FULL = {"care_team", "lead_key_worker", "break_glass_active", "admin"}
IDENTITY_ONLY = {
    "open_referral_team",  # routed to them, not yet accepted: the referral, not the record
    "unrelated_practitioner",
    "referrer",
    "break_glass_expired",
    "manager",
    "safeguarding_lead",
}
VIEWERS = sorted(FULL | IDENTITY_ONLY)

STAFF = {  # viewer → (email, role, team); role None: the user made for the test run
    "care_team": ("matrix-gp@test.example", "practitioner", "gp-practices-plymouth"),
    "open_referral_team": ("matrix-rea@test.example", "key_worker", "reablement-plymouth"),
    "lead_key_worker": ("matrix-kw@test.example", "key_worker", "complex-needs-hub"),
    "break_glass_active": ("matrix-ed@test.example", "practitioner", "emergency-department"),
    "break_glass_expired": ("matrix-amb@test.example", "practitioner", "ambulance-service"),
    "referrer": ("matrix-111@test.example", "practitioner", "nhs-111"),
    "unrelated_practitioner": ("practitioner@test.example", None, None),
    "manager": ("manager@test.example", None, None),
    "safeguarding_lead": ("safeguarding_lead@test.example", None, None),
    "admin": ("admin@test.example", None, None),
}
# Leads the enquiry (its own user, so the run's safeguarding lead has no enquiry of theirs).
ENQUIRY_LEAD = ("matrix-sgl@test.example", "safeguarding_lead", "safeguarding-adults")

# URL arguments that identify a person, or a row that belongs to one person.
PERSON_SCOPED_ARGUMENTS = {
    "person_id",
    "related_id",
    "referral_id",
    "episode_id",
    "task_id",
    "concern_id",
    "enquiry_id",
    "action_id",
    "risk_id",
    "membership_id",
    "medicine_id",
    "glass_id",
    "assessment_id",
    "care_package_id",
    "care_review_id",
}


@pytest.fixture(scope="module")
def scene(app):
    """Built once and committed (its own staff, so other tests' caseloads are untouched);
    the module's tests only read, or write inside their own rolled-back transaction."""

    tokens = {}
    with app.app_context():
        users = {}
        for viewer, (email, role, team) in {**STAFF, "enquiry_lead": ENQUIRY_LEAD}.items():
            users[viewer] = (
                factories.make_user(email=email, role=role, team=team, full_name=viewer)
                if role
                else factories.staff(email.split("@")[0])
            )
            tokens[viewer] = factories.make_token(users[viewer], name="matrix")
        admin = users["admin"]
        person = factories.make_person(
            actor=admin,
            given_name=GIVEN,
            family_name=FAMILY,
            nhs_number=NHS,
            date_of_birth=BORN,
            postcode=POSTCODE,
        )
        people.add_story_version(
            actor=admin, person=person, text="I want to stay at home.", based_on_id=None
        )
        related = people.add_related_person(
            actor=admin,
            person=person,
            details=RelatedPersonArgs().load(
                {
                    "name": "Morwenna Trethewey",
                    "relationship_to_person": "daughter",
                    "is_carer": True,
                }
            ),
        )
        factories.make_lead_key_worker(person, users["lead_key_worker"], actor=admin)
        membership = factories.add_to_care_team(person, users["care_team"], actor=admin)
        referral = factories.make_referral(person, actor=users["referrer"])
        (task,) = factories.open_tasks(referral_id=referral.id)
        carers = factories.make_referral(person, actor=admin, needs=["carer_strain"])
        # accepted by carer support (whoever makes a referral may not accept it)
        episode = factories.make_episode(carers, actor=factories.worker_for(carers.service))
        medicine = factories.make_medicine(person, actor=users["care_team"])
        record_plan(actor=admin, person=person, details={"basis": "none"})
        longterm.save_profile(
            actor=admin, person=person, details=longterm_args.ProfileArgs().load({})
        )
        assessment = longterm.record_assessment(
            actor=admin,
            person=person,
            details=longterm_args.RecordAssessmentArgs().load(longterm_bodies.assessment()),
        )
        care_package = longterm.record_package(
            actor=admin,
            person=person,
            details=longterm_args.RecordPackageArgs().load(longterm_bodies.package()),
        )
        care_review = longterm.record_review(
            actor=admin,
            person=person,
            details=longterm_args.RecordReviewArgs().load(longterm_bodies.review()),
        )
        glass = factories.make_break_glass(person, users["break_glass_active"])
        expired = factories.make_break_glass(
            person, users["break_glass_expired"], reason="Crew on scene earlier"
        )
        concern = factories.make_concern(person, actor=users["care_team"])
        second = factories.make_concern(person, actor=users["care_team"])
        enquiry = factories.make_enquiry(second, lead=users["enquiry_lead"])
        action = safeguarding.add_action(
            actor=users["enquiry_lead"],
            enquiry=enquiry,
            description="Visit at home",
            owner_id=users["enquiry_lead"].id,
            due_on=dt.date.today() + dt.timedelta(days=7),
        )
        db.session.flush()
        db.session.execute(
            sa.update(BreakGlass)
            .where(BreakGlass.id == expired.id)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        )
        ids = {
            "person_id": person.id,
            "related_id": related.id,
            "referral_id": referral.id,
            "task_id": task.id,
            "episode_id": episode.id,
            "medicine_id": medicine.id,
            "membership_id": membership.id,
            "glass_id": glass.id,
            "concern_id": concern.id,
            "enquiry_id": enquiry.id,
            "action_id": action.id,
            "risk_id": enquiry.risks[0].id,  # from the concern, at triage
            "assessment_id": assessment.id,
            "care_package_id": care_package.id,
            "care_review_id": care_review.id,
        }
        db.session.commit()
    return {**ids, "tokens": tokens}


# --- what each route is sent ----------------------------------------------------------

STALE = -1  # a version no row has: those let in stop at the version check (409)
TODAY = dt.date.today().isoformat()


def _referral_body(s: dict[str, Any]) -> dict[str, Any]:
    return factories.referral_body(s["person_id"], needs=["telecare"])


API_BODIES: dict[str, Any] = {  # rule (without /api/v1) → JSON body, or a function of the scene
    "/people/<int:person_id>": {"town": "Saltash", "version": STALE},
    "/people/<int:person_id>/story": {"text": "Changed", "based_on_id": STALE},
    "/people/<int:person_id>/consent": {
        "status": "given",
        "decided_on": "2026-01-01",
        "based_on_id": STALE,
    },
    "/people/<int:person_id>/merge": {"duplicate_id": STALE, "reason": "test"},
    "/people/<int:person_id>/related-people": {
        "name": "Jory Trethewey",
        "relationship_to_person": "son",
        "is_next_of_kin": True,
    },
    "/people/<int:person_id>/related-people/<int:related_id>": {
        "name": "Morwenna Trethewey",
        "relationship_to_person": "daughter",
        "is_carer": True,
        "version": STALE,
    },
    "/people/<int:person_id>/break-glass": {"reason": "Collapsed, need the history"},
    "/people/<int:person_id>/care-team/lead": {"user_id": STALE},
    "/people/<int:person_id>/care-team/members": {"user_id": STALE, "role": "GP"},
    "/people/<int:person_id>/medicines": {
        "name": "Ramipril",
        "dose": "5 mg",
        "route": "oral",
        "frequency": "once a day",
        "started_on": TODAY,
        "source": "gp_record",
    },
    "/people/<int:person_id>/medication-reviews": {
        "reviewed_on": TODAY,
        "stopped": [STALE],
        "outcome": "Reviewed",
    },
    "/people/<int:person_id>/needs-assessments": {
        "assessed_on": TODAY,
        **dict.fromkeys(
            ("homelessness", "substance_misuse", "offending", "mental_health", "domestic_abuse"),
            False,
        ),
        "engagement": "engaging",
        "stability": "stable",
    },
    "/people/<int:person_id>/safeguarding-concerns": factories.concern_details(),
    "/people/<int:person_id>/transition-plan": {"basis": "none"},
    "/care-team/<int:membership_id>/end": {"reason": "Moved away"},
    "/referrals/<int:referral_id>/accept": {"version": STALE},
    "/referrals/<int:referral_id>/decline": {"reason": "Not eligible", "version": STALE},
    "/referrals/<int:referral_id>/redirect": {"reason": "Elsewhere", "version": STALE},
    "/referrals/<int:referral_id>/close": {"outcome": "Seen", "version": STALE},
    "/referrals/<int:referral_id>/first-contact": {"version": STALE},
    "/safeguarding/enquiries/<int:enquiry_id>/summary": {
        "version": STALE,
        "shared_summary": "Shared",
    },
    "/referrals/<int:referral_id>/episode": {"started_on": TODAY, "discharged_on": TODAY},
    "/episodes/<int:episode_id>/end": {
        "ended_on": TODAY,
        "end_reason": "Done",
        "version": STALE,
    },
    "/episodes/<int:episode_id>/day-91": {"outcome": "at_home", "version": STALE},
    "/tasks/<int:task_id>/complete": {"version": STALE},
    "/medicines/<int:medicine_id>/stop": {
        "stopped_on": TODAY,
        "reason": "Side effects",
        "version": STALE,
    },
    "/break-glass/<int:glass_id>/review": {"note": "Appropriate", "outcome": "appropriate"},
    "/safeguarding/concerns/<int:concern_id>/take": {"version": STALE},
    "/safeguarding/concerns/<int:concern_id>/triage": {
        "version": STALE,
        "test_care_and_support_needs": True,
        "test_abuse_or_neglect": True,
        "test_unable_to_protect_self": True,
        "decision": "section_42_enquiry",
    },
    "/safeguarding/enquiries/<int:enquiry_id>/meetings": {
        "kind": "strategy_discussion",
        "held_on": TODAY,
        "notes": "Met",
    },
    "/safeguarding/enquiries/<int:enquiry_id>/actions": {
        "description": "Ring the GP",
        "owner_id": STALE,
        "due_on": TODAY,
    },
    "/safeguarding/enquiries/<int:enquiry_id>/conclude": {
        "version": STALE,
        "substantiated": "fully",
        **SAC_ANSWERS,
        "risk_outcome": "removed",
        "outcomes_achieved": "fully",
        "closed_on": TODAY,
    },
    "/safeguarding/actions/<int:action_id>/done": {"version": STALE},
    "/safeguarding/enquiries/<int:enquiry_id>/risks": {
        "version": STALE,
        "risk_type": "physical",
        "risk_location": "own_home",
        "risk_source": "stranger",
    },
    "/safeguarding/risks/<int:risk_id>/remove": {"version": STALE},
    "/people/<int:person_id>/social-care-profile": {"version": STALE},
    "/people/<int:person_id>/assessments": longterm_bodies.assessment(),
    "/people/<int:person_id>/care-packages": longterm_bodies.package(),
    "/people/<int:person_id>/care-reviews": longterm_bodies.review(),
    "/assessments/<int:assessment_id>": {
        **{k: v for k, v in longterm_bodies.assessment().items() if k != "kind"},
        "version": STALE,
    },
    "/care-packages/<int:care_package_id>": {**longterm_bodies.package(), "version": STALE},
    "/care-reviews/<int:care_review_id>": {**longterm_bodies.review(), "version": STALE},
    **{
        f"/{slug}/<int:{id_arg}>/end": {
            "ended_on": TODAY,
            "outcome": "NFA: Support ended as planned",
            "version": STALE,
        }
        for slug, id_arg in (
            ("assessments", "assessment_id"),
            ("care-packages", "care_package_id"),
            ("care-reviews", "care_review_id"),
        )
    },
}


def url_for_rule(rule: str, scene: dict[str, Any]) -> str:
    return re.sub(r"<(?:int:)?(\w+)>", lambda m: str(scene[m.group(1)]), rule)


def person_scoped_routes(app) -> set[tuple[str, str]]:
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.arguments & PERSON_SCOPED_ARGUMENTS
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


# --- the matrix -------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """The status each viewer gets: `ok` for those in `allowed`, 404 for the rest, unless
    `exceptions` says otherwise for a viewer."""

    allowed: frozenset[str]
    ok: int
    exceptions: dict[str, int] = field(default_factory=dict)

    def status(self, viewer: str) -> int:
        if viewer in self.exceptions:
            return self.exceptions[viewer]
        return self.ok if viewer in self.allowed else 404


def only(allowed: set[str], ok: int = 200, **exceptions: int) -> Expect:
    return Expect(frozenset(allowed), ok, exceptions)


EVERYONE = set(VIEWERS)
NOBODY: set[str] = set()
LEADS = {"safeguarding_lead"}  # the enquiry's own lead is not among the viewers
ANSWERING = {"open_referral_team", "admin"}  # the receiving service answers (and admins)
# the referrer follows the referral, the receiving service decides on it: not the record
SEES_REFERRAL = FULL | {"referrer"} | ANSWERING
OTHERS_WHO_SEE = {v: 403 for v in FULL - ANSWERING}  # may see the record, not answer for it
EPISODE_OTHERS = {v: 403 for v in FULL - {"admin"}}  # the episode is carer support's
MAY_BREAK_GLASS = IDENTITY_ONLY - {"manager"}
ALREADY_SEE = {v: 422 for v in FULL - {"admin"}}  # "You can already see this record"
SENT_BACK = {v: 302 for v in FULL | {"manager"}}  # nothing to break: back to the record

MATRIX: dict[tuple[str, str], Expect] = {
    # the person: everyone finds who it is (what they see is tested below)
    ("GET", "/api/v1/people/<int:person_id>"): only(EVERYONE),
    ("GET", "/people/<int:person_id>"): only(EVERYONE),
    ("PATCH", "/api/v1/people/<int:person_id>"): only(FULL, 409),
    ("POST", "/people/<int:person_id>/identity"): only(FULL, 400),
    ("GET", "/people/<int:person_id>/identity"): only(FULL),
    # the record
    # the FHIR view: the record by the same rule, nothing for anyone else
    ("GET", "/fhir/Patient/<int:person_id>"): only(FULL),
    ("GET", "/fhir/Patient/<int:person_id>/$everything"): only(FULL),
    ("GET", "/api/v1/people/<int:person_id>/access-log"): only(FULL),
    ("GET", "/people/<int:person_id>/access-log"): only(FULL),
    ("GET", "/api/v1/people/<int:person_id>/chronology"): only(FULL),
    ("GET", "/api/v1/people/<int:person_id>/story"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/story"): only(FULL, 409),
    ("GET", "/people/<int:person_id>/story"): only(FULL),
    ("POST", "/people/<int:person_id>/story"): only(FULL, 422),
    ("GET", "/api/v1/people/<int:person_id>/consent"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/consent"): only(FULL, 409),
    ("GET", "/people/<int:person_id>/consent"): only(FULL),
    ("POST", "/people/<int:person_id>/consent"): only(FULL, 422),
    ("GET", "/api/v1/people/<int:person_id>/related-people"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/related-people"): only(FULL, 201),
    ("PUT", "/api/v1/people/<int:person_id>/related-people/<int:related_id>"): only(FULL, 409),
    ("GET", "/people/<int:person_id>/carers/new"): only(FULL),
    ("POST", "/people/<int:person_id>/carers/new"): only(FULL, 422),
    # merging is an admin's act: everyone else is refused (403) before a record is read
    ("POST", "/api/v1/people/<int:person_id>/merge"): only(  # admin: no such duplicate
        NOBODY, **{v: 403 for v in VIEWERS if v != "admin"}
    ),
    ("GET", "/people/<int:person_id>/merge"): only(
        {"admin"}, **{v: 403 for v in VIEWERS if v != "admin"}
    ),
    ("POST", "/people/<int:person_id>/merge"): only(
        {"admin"}, 200, **{v: 403 for v in VIEWERS if v != "admin"}
    ),
    ("GET", "/api/v1/people/<int:person_id>/transition-plan"): only(FULL),
    ("PUT", "/api/v1/people/<int:person_id>/transition-plan"): only(FULL),
    ("GET", "/api/v1/people/<int:person_id>/needs-assessments"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/needs-assessments"): only(FULL, 201),
    ("GET", "/people/<int:person_id>/needs"): only(FULL),
    ("POST", "/people/<int:person_id>/needs"): only(FULL, 422),
    # care team
    ("GET", "/api/v1/people/<int:person_id>/care-team"): only(FULL),
    ("GET", "/people/<int:person_id>/care-team"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/care-team/lead"): only(FULL, 422),
    ("POST", "/people/<int:person_id>/care-team/lead"): only(FULL, 422),
    ("POST", "/api/v1/people/<int:person_id>/care-team/members"): only(FULL, 422),
    ("POST", "/people/<int:person_id>/care-team/members"): only(FULL, 422),
    ("POST", "/api/v1/care-team/<int:membership_id>/end"): only(FULL),
    ("POST", "/care-team/<int:membership_id>/end"): only(FULL, 422),
    # break-glass: those without access (managers aside) may; admins review
    ("GET", "/people/<int:person_id>/break-glass"): only(MAY_BREAK_GLASS, 200, **SENT_BACK),
    ("POST", "/people/<int:person_id>/break-glass"): only(MAY_BREAK_GLASS, 422, **SENT_BACK),
    ("POST", "/api/v1/people/<int:person_id>/break-glass"): only(
        MAY_BREAK_GLASS, 201, admin=403, manager=403, **ALREADY_SEE
    ),
    ("POST", "/api/v1/break-glass/<int:glass_id>/review"): only({"admin"}),
    ("POST", "/admin/break-glass/<int:glass_id>/review"): only({"admin"}, 422),
    # medicines
    ("GET", "/api/v1/people/<int:person_id>/medicines"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/medicines"): only(FULL, 201),
    ("GET", "/people/<int:person_id>/medicines"): only(FULL),
    ("POST", "/people/<int:person_id>/medicines"): only(FULL, 422),
    ("POST", "/api/v1/medicines/<int:medicine_id>/stop"): only(FULL, 409),
    ("POST", "/medicines/<int:medicine_id>/stop"): only(FULL, 422),
    ("GET", "/api/v1/people/<int:person_id>/medication-reviews"): only(FULL),
    ("POST", "/api/v1/people/<int:person_id>/medication-reviews"): only(FULL, 422),
    ("POST", "/people/<int:person_id>/medication-reviews"): only(FULL, 422),
    # long-term support: anyone with the record (a stale version stops those let in)
    ("GET", "/people/<int:person_id>/long-term-support"): only(FULL),
    ("GET", "/people/<int:person_id>/social-care-profile"): only(FULL),
    ("POST", "/people/<int:person_id>/social-care-profile"): only(FULL, 422),
    ("GET", "/api/v1/people/<int:person_id>/social-care-profile"): only(FULL),
    ("PUT", "/api/v1/people/<int:person_id>/social-care-profile"): only(FULL, 409),
    **{
        key: expect
        for slug, id_arg in (
            ("assessments", "assessment_id"),
            ("care-packages", "care_package_id"),
            ("care-reviews", "care_review_id"),
        )
        for key, expect in {
            ("GET", f"/people/<int:person_id>/{slug}/new"): only(FULL),
            ("POST", f"/people/<int:person_id>/{slug}/new"): only(FULL, 422),
            ("GET", f"/{slug}/<int:{id_arg}>"): only(FULL),
            ("GET", f"/{slug}/<int:{id_arg}>/edit"): only(FULL),
            ("POST", f"/{slug}/<int:{id_arg}>/edit"): only(FULL, 422),
            ("POST", f"/{slug}/<int:{id_arg}>/end"): only(FULL, 422),
            ("GET", f"/api/v1/people/<int:person_id>/{slug}"): only(FULL),
            ("POST", f"/api/v1/people/<int:person_id>/{slug}"): only(FULL, 201),
            ("GET", f"/api/v1/{slug}/<int:{id_arg}>"): only(FULL),
            ("PUT", f"/api/v1/{slug}/<int:{id_arg}>"): only(FULL, 409),
            ("POST", f"/api/v1/{slug}/<int:{id_arg}>/end"): only(FULL, 409),
        }.items()
    },
    # referrals: anyone who finds the person may refer; the receiving service answers
    ("GET", "/people/<int:person_id>/refer"): only(EVERYONE),
    ("POST", "/people/<int:person_id>/refer"): only(EVERYONE, 422),
    ("GET", "/api/v1/people/<int:person_id>/referrals"): only(FULL),
    ("GET", "/api/v1/referrals/<int:referral_id>"): only(SEES_REFERRAL),
    ("GET", "/referrals/<int:referral_id>"): only(SEES_REFERRAL),
    **{
        ("POST", f"{prefix}/referrals/<int:referral_id>/{step}"): only(
            ANSWERING, 409 if prefix else 422, **OTHERS_WHO_SEE
        )
        for prefix in ("/api/v1", "")
        for step in ("accept", "decline", "redirect", "close", "episode", "first-contact")
    },
    # episodes: the episode's service answers (and admins)
    ("GET", "/api/v1/people/<int:person_id>/episodes"): only(FULL),
    ("GET", "/episodes/<int:episode_id>"): only(FULL),  # read by all who see the person
    ("POST", "/api/v1/episodes/<int:episode_id>/end"): only({"admin"}, 409, **EPISODE_OTHERS),
    ("POST", "/episodes/<int:episode_id>/end"): only({"admin"}, 422, **EPISODE_OTHERS),
    ("POST", "/api/v1/episodes/<int:episode_id>/day-91"): only({"admin"}, 409, **EPISODE_OTHERS),
    ("POST", "/episodes/<int:episode_id>/day-91"): only({"admin"}, 422, **EPISODE_OTHERS),
    # tasks: the referral's response task is reablement's, but a task is worked on the
    # record, which reablement sees only once it accepts (answering closes the task)
    ("POST", "/api/v1/tasks/<int:task_id>/complete"): only({"admin"}, 409),
    ("POST", "/tasks/<int:task_id>/complete"): only({"admin"}, 422),
    # safeguarding: anyone may raise a concern; leads alone see and work on it, except
    # that the raiser (the care team's GP) follows its status
    ("GET", "/people/<int:person_id>/safeguarding/new"): only(EVERYONE),
    ("POST", "/people/<int:person_id>/safeguarding/new"): only(EVERYONE, 422),
    ("POST", "/api/v1/people/<int:person_id>/safeguarding-concerns"): only(EVERYONE, 201),
    ("GET", "/api/v1/safeguarding/concerns/<int:concern_id>"): only(LEADS | {"care_team"}),
    ("GET", "/safeguarding/concerns/<int:concern_id>"): only(LEADS, care_team=302),
    ("GET", "/api/v1/safeguarding/enquiries/<int:enquiry_id>"): only(LEADS),
    ("POST", "/api/v1/safeguarding/concerns/<int:concern_id>/take"): only(LEADS, 409),
    ("POST", "/safeguarding/concerns/<int:concern_id>/take"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/concerns/<int:concern_id>/triage"): only(LEADS, 409),
    ("POST", "/safeguarding/concerns/<int:concern_id>/triage"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/enquiries/<int:enquiry_id>/meetings"): only(LEADS, 201),
    ("POST", "/safeguarding/enquiries/<int:enquiry_id>/meetings"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/enquiries/<int:enquiry_id>/actions"): only(LEADS, 422),
    ("POST", "/safeguarding/enquiries/<int:enquiry_id>/actions"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/enquiries/<int:enquiry_id>/summary"): only(LEADS, 409),
    ("POST", "/safeguarding/enquiries/<int:enquiry_id>/summary"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/enquiries/<int:enquiry_id>/conclude"): only(LEADS, 409),
    ("POST", "/safeguarding/enquiries/<int:enquiry_id>/conclude"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/actions/<int:action_id>/done"): only(LEADS, 409),
    ("POST", "/safeguarding/actions/<int:action_id>/done"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/enquiries/<int:enquiry_id>/risks"): only(LEADS, 409),
    ("POST", "/safeguarding/enquiries/<int:enquiry_id>/risks"): only(LEADS, 422),
    ("POST", "/api/v1/safeguarding/risks/<int:risk_id>/remove"): only(LEADS, 409),
    ("POST", "/safeguarding/risks/<int:risk_id>/remove"): only(LEADS, 422),
}


def _no_personal_data(response) -> None:
    text = response.get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} in a refusal"


def _api(app, scene, viewer):
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {scene['tokens'][viewer]}"
    return client


_signed_in: dict[str, Any] = {}


def _page(app, viewer):
    """A client signed in as the viewer, kept for the module: the session cookie outlives
    the test's rolled-back sign-in row."""
    if viewer not in _signed_in:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": STAFF[viewer][0], "password": PASSWORD})
        assert response.status_code == 302
        _signed_in[viewer] = client
    return _signed_in[viewer]


def request(app, scene, viewer, method, rule):
    url = url_for_rule(rule, scene)
    if rule.startswith(("/api/", "/fhir/")):  # both take the viewer's bearer token
        body = API_BODIES.get(rule.removeprefix("/api/v1"))
        kwargs = {"json": body(scene) if callable(body) else body} if method != "GET" else {}
        return getattr(_api(app, scene, viewer), method.lower())(url, **kwargs)
    kwargs = {"data": {}} if method != "GET" else {}
    return getattr(_page(app, viewer), method.lower())(url, **kwargs)


def test_every_person_scoped_route_has_an_entry(app):
    routes = person_scoped_routes(app)
    missing = sorted(routes - MATRIX.keys())
    assert not missing, "person-scoped routes with no entry in MATRIX: " + ", ".join(
        f"{method} {rule}" for method, rule in missing
    )
    gone = sorted(MATRIX.keys() - routes)
    assert not gone, "MATRIX entries for routes that no longer exist: " + ", ".join(
        f"{method} {rule}" for method, rule in gone
    )


def test_every_person_scoped_operation_of_the_api_document_has_an_entry(client):
    """The published OpenAPI document, read as a client would, holds no person-scoped
    operation the matrix does not cover (the document and the routes could drift)."""
    document = client.get("/api/v1/openapi.json").json
    scoped = {
        (method.upper(), re.sub(r"\{(\w+)\}", r"<int:\1>", path))
        for path, operations in document["paths"].items()
        if set(re.findall(r"\{(\w+)\}", path)) & PERSON_SCOPED_ARGUMENTS
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert scoped, "the document names no person-scoped operation"
    missing = sorted(scoped - MATRIX.keys())
    assert not missing, "documented operations with no entry in MATRIX: " + ", ".join(
        f"{method} {rule}" for method, rule in missing
    )


CASES = [(method, rule, viewer) for (method, rule) in sorted(MATRIX) for viewer in VIEWERS]


@pytest.mark.parametrize(
    ("method", "rule", "viewer"), CASES, ids=[f"{m} {r} {v}" for m, r, v in CASES]
)
def test_route_access(app, scene, method, rule, viewer):
    expected = MATRIX[(method, rule)].status(viewer)
    response = request(app, scene, viewer, method, rule)
    assert response.status_code == expected, (
        f"{method} {rule} as {viewer}: {response.status_code}, expected {expected}: "
        + response.get_data(as_text=True)[:300]
    )
    if response.status_code == 404:
        _no_personal_data(response)


# --- what the statuses do not show ------------------------------------------------------


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_person_itself_is_found_by_all_but_the_record_shown_to_some(app, scene, viewer):
    response = _api(app, scene, viewer).get(f"/api/v1/people/{scene['person_id']}")
    assert response.status_code == 200
    assert ("person" in response.json) is (viewer in FULL)
    if viewer in IDENTITY_ONLY:
        assert response.json["access"] == "identity" and "story" not in response.json


@pytest.mark.parametrize("viewer", VIEWERS)
def test_record_page_shows_the_record_or_identity_only(app, scene, viewer):
    response = _page(app, viewer).get(f"/people/{scene['person_id']}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and FAMILY in body
    assert ("I want to stay at home" in body) is (viewer in FULL)
    assert ("You broke glass" in body) is (viewer == "break_glass_active")
    if viewer in IDENTITY_ONLY:
        assert "identity only" in body


@pytest.mark.parametrize("viewer", sorted(IDENTITY_ONLY - {"manager"}))
def test_those_without_access_may_break_glass_but_managers_may_not(app, scene, viewer):
    body = _page(app, viewer).get(f"/people/{scene['person_id']}").get_data(as_text=True)
    assert "Emergency access" in body


def test_manager_is_not_offered_break_glass(app, scene):
    body = _page(app, "manager").get(f"/people/{scene['person_id']}").get_data(as_text=True)
    assert "Emergency access" not in body


@pytest.mark.parametrize("viewer", VIEWERS)
def test_safeguarding_detail_is_for_leads_and_the_raiser_follows_the_status(app, scene, viewer):
    """Safeguarding detail: leads only (and the enquiry's workers); the raiser (the care
    team's GP) follows the status; everyone else, admins and the care team included, 404."""
    client = _api(app, scene, viewer)
    response = client.get(f"/api/v1/safeguarding/concerns/{scene['concern_id']}")
    text = response.get_data(as_text=True)
    if viewer in LEADS:
        assert response.status_code == 200 and "Left without meals" in text
    elif viewer == "care_team":
        assert response.status_code == 200 and "Left without meals" not in text
        assert set(response.json) == {"id", "reference", "person_id", "raised_at", "status"}
    else:
        assert response.status_code == 404
    queue = client.get("/api/v1/safeguarding/queue")
    assert queue.status_code == (200 if viewer in LEADS else 404)
    if viewer not in LEADS:
        _no_personal_data(queue)


@pytest.mark.parametrize("viewer", sorted(FULL))
def test_the_care_team_sees_that_a_concern_exists_not_what_it_is(app, scene, viewer):
    record = _api(app, scene, viewer).get(f"/api/v1/people/{scene['person_id']}").json
    assert "safeguarding" in [flag["code"] for flag in record["flags"]]
    assert "Left without meals" not in str(record)


def test_the_referrer_follows_the_referral_not_the_record(app, scene):
    body = _page(app, "referrer").get(f"/referrals/{scene['referral_id']}").get_data(as_text=True)
    assert "You made this referral" in body
    assert FAMILY not in body and "I want to stay at home" not in body


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_safeguarding_numbers_are_for_leads_managers_and_admins(app, scene, viewer):
    response = _api(app, scene, viewer).get(
        "/api/v1/safeguarding/figures", query_string={"start": "2026-01-01", "end": "2026-12-31"}
    )
    allowed = viewer in {"safeguarding_lead", "manager", "admin"}
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert "Left without meals" not in response.get_data(as_text=True)  # counts only
