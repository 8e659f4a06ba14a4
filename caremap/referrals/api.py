"""JSON endpoints for referrals, episodes, service queues and needs under /api/v1."""

from __future__ import annotations

from typing import Any

import flask
import sqlalchemy as sa
from flask.views import MethodView
from flask_login import login_required

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, require
from caremap.catalogue.models import Service
from caremap.core.api import ApiBlueprint, api_error
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.episodes.schemas import EpisodeSchema, StartEpisodeArgs
from caremap.people.loader import load_person
from caremap.people.queries import record_ids
from caremap.referrals import chronology as _chronology  # noqa: F401  (registers entries)
from caremap.referrals import operations, queries
from caremap.referrals.access import load_referral, queue_service, referral_to_answer
from caremap.referrals.answers import ANSWERS
from caremap.referrals.queries import audit_queue_read
from caremap.referrals.schemas import (
    AcceptArgs,
    CloseArgs,
    DeclineArgs,
    FirstContactArgs,
    PreviewSchema,
    QueueItemSchema,
    RedirectArgs,
    ReferralArgs,
    ReferralSchema,
    SelfRoutedAcceptanceSchema,
    SubmissionSchema,
)
from caremap.routing.engine import withhold_facts, withhold_open_services

blp = ApiBlueprint(
    "referrals-api", __name__, url_prefix="/api/v1", description="Referrals and episodes of care"
)


def preview_payload(facts, routes, *, full: bool) -> dict:
    """Where a referral would go and why; without a relationship to the person, what
    services they already have is withheld."""
    names = dict(db.session.execute(sa.select(Service.code, Service.name)).all())
    payload = {
        "facts": facts.as_dict(),
        "routes": [
            {
                "service": r.service,
                "service_name": names.get(r.service, r.service),
                "fell_through": r.fell_through,
                "explanation": r.explanation(),
            }
            for r in routes
        ],
    }
    if not full:
        payload["facts"] = withhold_facts(payload["facts"])
        for route in payload["routes"]:
            route["explanation"] = withhold_open_services(route["explanation"])
    return payload


@blp.route("/referrals/preview")
class Preview(MethodView):
    decorators = [login_required]

    @blp.arguments(ReferralArgs)
    @blp.response(200, PreviewSchema)
    def post(self, args):
        """Where this referral would go, and why, without sending it."""
        loaded = load_person(
            args["person_id"], user=_me(), action="referrals.preview", need=Access.IDENTITY
        )
        facts, routes = operations.preview_routes(person=loaded.person, args=args)
        return preview_payload(facts, routes, full=loaded.full)


@blp.route("/referrals")
class Referrals(MethodView):
    decorators = [login_required]

    @blp.arguments(ReferralArgs)
    @blp.response(201, SubmissionSchema)
    @blp.alt_response(
        200, schema=SubmissionSchema, description="a retry: what the first attempt made"
    )
    def post(self, args):
        """Refer a person (anyone who can find them may refer). Send an Idempotency-Key header
        to make retries safe: your own key with the same body answers what the first attempt
        made, with another body 422. The same person, services and needs received within
        minutes of your earlier referral is also treated as a retry."""
        person = load_person(
            args["person_id"], user=_me(), action="referrals.refer", need=Access.IDENTITY
        ).person
        key = flask.request.headers.get("Idempotency-Key")
        if key is not None and not (1 <= len(key) <= 80):
            return api_error(422, {"Idempotency-Key": ["must be 1 to 80 characters"]})
        submission, created = operations.submit_referral(
            actor=_me(), person=person, args=args, idempotency_key=key
        )
        return submission, 201 if created else 200


@blp.route("/referrals/<int:referral_id>")
class ReferralItem(MethodView):
    decorators = [login_required]

    @blp.response(200, ReferralSchema)
    def get(self, referral_id):
        """The referral; its referrer, without a relationship to the person, sees the routing
        with the person's existing services withheld."""
        loaded = load_referral(referral_id, user=_me())
        if loaded.full:
            return loaded.referral
        dumped = ReferralSchema().dump(loaded.referral)
        for decision in dumped["routing"]:
            decision["facts"] = withhold_facts(decision["facts"])
            decision["explanation"] = withhold_open_services(decision["explanation"])
        return flask.jsonify(dumped)


def _answer(referral_id: int, step: str, args: dict[str, Any]) -> Any:
    """The receiving service answers: load the referral for it (404, 403), then operate."""
    answer = ANSWERS[step]
    referral = referral_to_answer(referral_id, user=_me(), action=answer.action).referral
    return answer.operate(_me(), referral, args)


@blp.route("/referrals/<int:referral_id>/accept")
class Accept(MethodView):
    decorators = [login_required]

    @blp.arguments(AcceptArgs)
    @blp.response(200, ReferralSchema)
    def post(self, args, referral_id):
        """Accept; give `start_episode` to start the episode of care at once."""
        return _answer(referral_id, "accept", args)


@blp.route("/referrals/<int:referral_id>/decline")
class Decline(MethodView):
    decorators = [login_required]

    @blp.arguments(DeclineArgs)
    @blp.response(200, ReferralSchema)
    def post(self, args, referral_id):
        return _answer(referral_id, "decline", args)


@blp.route("/referrals/<int:referral_id>/redirect")
class Redirect(MethodView):
    decorators = [login_required]

    @blp.arguments(RedirectArgs)
    @blp.response(201, ReferralSchema)
    def post(self, args, referral_id):
        """Redirect to another service, or where the rules send it without this one.

        Answers the new referral; the original ends as redirected."""
        return _answer(referral_id, "redirect", args)


@blp.route("/referrals/<int:referral_id>/first-contact")
class FirstContact(MethodView):
    decorators = [login_required]

    @blp.arguments(FirstContactArgs)
    @blp.response(200, ReferralSchema)
    def post(self, args, referral_id):
        """Record when the service first reached the person; give the day (and the time on
        the day it came in, or today) if it was earlier than now. Recorded once."""
        return _answer(referral_id, "contact", args)


@blp.route("/referrals/<int:referral_id>/episode")
class StartEpisode(MethodView):
    decorators = [login_required]

    @blp.arguments(StartEpisodeArgs)
    @blp.response(201, EpisodeSchema)
    def post(self, args, referral_id):
        """Start the episode of care for an accepted referral (it becomes active)."""
        return _answer(referral_id, "episode", args)


@blp.route("/referrals/<int:referral_id>/close")
class Close(MethodView):
    decorators = [login_required]

    @blp.arguments(CloseArgs)
    @blp.response(200, ReferralSchema)
    def post(self, args, referral_id):
        """Close an accepted referral that needs no episode, with its outcome."""
        return _answer(referral_id, "close", args)


@blp.route("/people/<int:person_id>/referrals")
class PersonReferrals(MethodView):
    decorators = [login_required]

    @blp.response(200, ReferralSchema(many=True))
    def get(self, person_id):
        """Every referral of the person, newest first."""
        person = load_person(person_id, user=_me(), action="referrals.list").person
        return queries.person_referrals(record_ids(person))


@blp.route("/services/<code>/queue")
class Queue(MethodView):
    decorators = [login_required]

    @blp.response(200, QueueItemSchema(many=True))
    def get(self, code):
        """The service's referrals to answer or start, oldest first.

        Each is overdue, due (within a day), waiting, or accepted (not yet started)."""
        items = queries.service_queue(queue_service(code, user=_me()), now=utcnow())
        audit_queue_read(_me(), items)
        return items


@blp.route("/admin/self-routed-acceptances")
class SelfRoutedAcceptances(MethodView):
    decorators = [login_required]

    @blp.response(200, SelfRoutedAcceptanceSchema(many=True))
    def get(self):
        """Every acceptance of a referral made from within the accepting service, newest
        first, for review (admins). Each person listed is an audited read."""
        require(can_administer(_me()))
        rows = queries.self_routed_acceptances()
        audit.record_reads(_me(), "referrals.self_routed_review", [r.person_id for r in rows])
        return rows
