"""Referrals through the single point of access: submit (routed by the rules), accept,
decline, redirect, start an episode, close. Each verb flushes and audits."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import flask
import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.careteam.operations import allocate_on_accept
from caremap.catalogue.models import Service
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.episodes.enums import EpisodeKind
from caremap.episodes.models import Episode
from caremap.episodes.operations import start_episode
from caremap.episodes.schemas import StartEpisodeArgs
from caremap.people.dates import check_within_life
from caremap.people.models import Person
from caremap.people.operations import lock_person
from caremap.referrals import need_ages, retries, signals
from caremap.referrals.acceptance import check_acceptor, check_referrer, made_within_service
from caremap.referrals.dates import answered_at
from caremap.referrals.enums import OPEN_STATUSES, ReferralStatus
from caremap.referrals.flows import NEEDS_OUTCOME, NEEDS_REASON, check_transition
from caremap.referrals.models import Referral, ReferralStatusChange, ReferralSubmission
from caremap.routing.engine import Facts, Route, age_on, postcode_area, route
from caremap.routing.enums import Urgency
from caremap.routing.models import RoutingDecision
from caremap.routing.operations import rules_in_force
from caremap.worktasks.enums import TaskKind
from caremap.worktasks.operations import close_tasks, create_task, team_for_service
from caremap.worktasks.queries import open_tasks

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def open_service_codes(person_id: int) -> frozenset[str]:
    """Services with an open referral or an open episode for the person: rules route on
    what a person already has (a second service joins the first, a hub takes over), so
    the facts must say it."""
    referred = (
        sa.select(Service.code)
        .join(Referral, Referral.service_id == Service.id)
        .where(Referral.person_id == person_id, Referral.status.in_(OPEN_STATUSES))
    )
    in_episode = (
        sa.select(Service.code)
        .join(Episode, Episode.service_id == Service.id)
        .where(Episode.person_id == person_id, Episode.ended_on.is_(None))
    )
    return frozenset(db.session.scalars(sa.union(referred, in_episode)))


def facts_for(*, person: Person, needs: list[str], urgency: Any, source: Any, on: dt.date) -> Facts:
    """The facts the rules match on, taken from the record as it is on the day, so a preview,
    a submission and a re-route after a redirect are judged alike (and the stored facts
    explain the decision later)."""
    return Facts(
        needs=frozenset(needs),
        urgency=Urgency(urgency).value,
        source=str(getattr(source, "value", source)),
        age=age_on(person.date_of_birth, on),
        area=postcode_area(person.postcode),
        open_services=open_service_codes(person.id),
    )


def preview_routes(*, person: Person, args: dict[str, Any]) -> tuple[Facts, list[Route]]:
    """Where a referral would go, and why, without saving anything: the referrer sees the
    rules' answer before sending, and can change the needs if it looks wrong."""
    on = (args.get("received_at") or utcnow()).date()
    need_ages.check_needs(args["needs"], age=age_on(person.date_of_birth, on))
    return _routes_for(person, args, on=on)


def _routes_for(person: Person, args: dict[str, Any], *, on: dt.date) -> tuple[Facts, list[Route]]:
    facts = facts_for(
        person=person, needs=args["needs"], urgency=args["urgency"], source=args["source"], on=on
    )
    return facts, route(facts, rules_in_force())


def submit_referral(
    *, actor: User, person: Person, args: dict[str, Any], idempotency_key: str | None = None
) -> tuple[ReferralSubmission, bool]:
    """Route and record a referral. Returns (submission, created).

    A retry (the caller's same Idempotency-Key and body, or the same person, services and
    needs received within a few minutes) returns what the first attempt made; see
    retries. `received_at` may be given for a referral entered after it came in: it is
    kept beside the time it was entered, and both go in the audit row.
    """
    if not person.is_live:
        raise DomainError(
            "This record was merged; refer the person on their live record", field="person_id"
        )
    now = utcnow()
    received_at = args.get("received_at") or now
    needs = need_ages.check_needs(
        args["needs"], age=age_on(person.date_of_birth, received_at.date())
    )
    if received_at > now + dt.timedelta(minutes=5):
        raise DomainError("must not be in the future", field="received_at")
    check_within_life(person, clock.local_date(received_at), field="received_at")
    lock_person(person)  # one at a time per person, so two retries cannot both create
    sent = retries.fingerprint(person, args)
    if idempotency_key:
        earlier = retries.keyed_attempt(actor=actor, person=person, key=idempotency_key, sent=sent)
        if earlier is not None:
            return earlier, False
    facts, routes = _routes_for(person, args, on=received_at.date())
    check_referrer(actor=actor, person=person, service_codes=[r.service for r in routes])
    earlier = retries.same_referral_received(
        actor=actor, person=person, received_at=received_at, routes=routes, needs=needs
    )
    if earlier is not None:
        return earlier, False
    submission = ReferralSubmission(
        person_id=person.id,
        idempotency_key=retries.scoped_key(actor, idempotency_key) if idempotency_key else None,
        request_fingerprint=sent,
        submitted_by_id=actor.id,
    )
    db.session.add(submission)
    hours = flask.current_app.config["RESPONSE_HOURS"][Urgency(args["urgency"]).value]
    leaving_hospital = "hospital_discharge" in args["needs"]
    for target in routes:
        service = _service(target.service)
        referral = Referral(
            reference=_new_reference(),
            submission=submission,
            person_id=person.id,
            service_id=service.id,
            source=args["source"],
            referrer_name=args["referrer_name"],
            referrer_organisation=args.get("referrer_organisation"),
            referrer_contact=args["referrer_contact"],
            details=args.get("details"),
            discharge_on=args.get("discharge_on") if leaving_hospital else None,
            discharge_ward=args.get("discharge_ward") if leaving_hospital else None,
            urgency=args["urgency"],
            consent_to_share=args["consent_to_share"],
            received_at=received_at,
            due_at=received_at + dt.timedelta(hours=hours),
            status=ReferralStatus.RECEIVED,
            status_changed_at=received_at,
            created_by_id=actor.id,
            needs=needs,
        )
        _route(
            actor=actor,
            referral=referral,
            kind="fall_through" if target.fell_through else "rules",
            explanation=target.explanation(),
            facts=facts.as_dict(),
            reason=_routing_summary(target),
            audit_changes={"needs": args["needs"], "received_at": received_at, "recorded_at": now},
        )
    db.session.flush()
    signals.referral_submitted.send(submission, actor=actor, person=person)
    return submission, True


def change_status(
    *,
    actor: User,
    referral: Referral,
    to: ReferralStatus,
    reason: str | None = None,
    outcome: str | None = None,
    at: dt.datetime | None = None,
) -> Referral:
    """The one place a referral's status changes: checked against flows.TRANSITIONS.

    `at` is when it happened, if earlier than now (checked by the caller, see dates);
    the change keeps it beside the time it was entered, and so does the audit row."""
    current = referral.status
    check_transition(current, to)
    if (current, to) in NEEDS_REASON and not reason:
        raise DomainError("Give a reason", field="reason")
    if (current, to) in NEEDS_OUTCOME and not outcome:
        raise DomainError("Give the outcome", field="outcome")
    now = utcnow()
    at = at or now
    referral.status = to
    referral.status_changed_at = at
    if current == ReferralStatus.ROUTED:
        referral.responded_at = at
        referral.response_recorded_at = now
        close_tasks(
            actor=actor,
            tasks=open_tasks(kind=TaskKind.REFERRAL_RESPONSE, referral_id=referral.id),
            because=f"referral {referral.reference} {to.value}",
        )
    if to == ReferralStatus.DECLINED:
        referral.decline_reason = reason
    if to == ReferralStatus.CLOSED:
        referral.outcome = outcome
    db.session.add(
        ReferralStatusChange(
            referral_id=referral.id,
            at=at,
            recorded_at=now,
            from_status=current,
            to_status=to,
            actor_id=actor.id,
            reason=reason or outcome,
        )
    )
    db.session.flush()
    if current is not ReferralStatus.RECEIVED:
        audit.record(
            actor,
            f"referrals.{to.value}",
            person_id=referral.person_id,
            changes={
                "referral_id": referral.id,
                "from": current,
                "to": to,
                "happened_at": at,
                "recorded_at": now,
            },
            reason=reason or outcome,
        )
    return referral


def accept_referral(
    *,
    actor: User,
    referral: Referral,
    version: int,
    start_episode_details: dict[str, Any] | None = None,
    key_worker_id: int | None = None,
    answered_on: dt.date | None = None,
    answered_time: dt.time | None = None,
) -> Referral:
    """Accept; with episode details the episode starts at once (accepted → active).

    Where the routing rule says so (the complex needs hub), accepting allocates the
    lead key worker: the one chosen, else the accepting key worker, else the key
    worker of the service with the smallest caseload. `answered_on` and `answered_time`
    say when it was accepted, for an answer entered after the fact.
    """
    check_version(referral, version)
    standing = check_acceptor(actor=actor, referral=referral)
    at = answered_at(referral, answered_on, answered_time)
    change_status(actor=actor, referral=referral, to=ReferralStatus.ACCEPTED, at=at)
    if made_within_service(referral):  # listed for review: queries.self_routed_acceptances
        audit.record(
            actor,
            "referrals.self_routed_accept",
            person_id=referral.person_id,
            changes={"referral_id": referral.id, "made_by_id": referral.created_by_id},
            reason=f"accepted on standing {standing}",
        )
    if routing_actions(referral).get("allocate_key_worker"):
        allocate_on_accept(
            actor=actor, person=referral.person, service=referral.service, worker_id=key_worker_id
        )
    elif key_worker_id is not None:
        raise DomainError(
            "This service does not allocate a key worker on acceptance", field="key_worker_id"
        )
    if start_episode_details is not None:
        begin_episode(actor=actor, referral=referral, details=start_episode_details)
    return referral


def begin_episode(*, actor: User, referral: Referral, details: dict[str, Any]) -> Episode:
    """Start the episode of care for an accepted referral, which becomes active. The rule
    that routed it chooses the episode's kind and follow-up, so the service need not know
    that a discharge into reablement is counted at day 91."""
    check_transition(referral.status, ReferralStatus.ACTIVE)
    actions = routing_actions(referral)
    details = dict(details)
    if details.get("kind") is None:
        details["kind"] = EpisodeKind(actions.get("episode_kind") or EpisodeKind.GENERAL)
    # Checked again now that the kind is known (the fields must fit it).
    details = StartEpisodeArgs().load(StartEpisodeArgs().dump(details))
    episode = start_episode(
        actor=actor,
        person=referral.person,
        service=referral.service,
        details=details,
        referral_id=referral.id,
        follow_up_days=actions.get("follow_up_days"),
    )
    change_status(actor=actor, referral=referral, to=ReferralStatus.ACTIVE)
    return episode


def decline_referral(
    *,
    actor: User,
    referral: Referral,
    version: int,
    reason: str,
    answered_on: dt.date | None = None,
    answered_time: dt.time | None = None,
) -> Referral:
    """Decline, with the reason the referrer will read: a refusal without one leaves the
    person with nowhere to go and nobody knowing why."""
    check_version(referral, version)
    at = answered_at(referral, answered_on, answered_time)
    return change_status(
        actor=actor, referral=referral, to=ReferralStatus.DECLINED, reason=reason, at=at
    )


def close_referral(*, actor: User, referral: Referral, version: int, outcome: str) -> Referral:
    """Close an accepted referral that needed no episode, with its outcome, so the service's
    access to the record ends with the work. An active one closes with its episode instead,
    which keeps the two from disagreeing."""
    check_version(referral, version)
    if referral.status == ReferralStatus.ACTIVE:
        raise DomainError("End the episode of care; that closes the referral", field="outcome")
    return change_status(actor=actor, referral=referral, to=ReferralStatus.CLOSED, outcome=outcome)


def redirect_referral(
    *,
    actor: User,
    referral: Referral,
    version: int,
    reason: str,
    service_code: str | None = None,
    answered_on: dt.date | None = None,
    answered_time: dt.time | None = None,
) -> Referral:
    """Send a referral elsewhere. The original ends as redirected; a new referral, linked
    to it, goes to the chosen service, or where the rules send it without this service.
    The onward service's clock starts when the redirect happened."""
    check_version(referral, version)
    at = answered_at(referral, answered_on, answered_time)
    change_status(
        actor=actor, referral=referral, to=ReferralStatus.REDIRECTED, reason=reason, at=at
    )
    redirected = at or utcnow()
    if service_code:
        target = _service(service_code)
        if target.id == referral.service_id:
            raise DomainError("Choose a different service", field="service")
        explanation = [
            {
                "rule": None,
                "name": "Redirected by the receiving service",
                "matched": [f"{referral.service.name} redirected it: {reason}"],
            }
        ]
    else:
        facts = facts_for(
            person=referral.person,
            needs=referral.need_codes,
            urgency=referral.urgency,
            source=referral.source,
            on=redirected.date(),
        )
        routes = [r for r in route(facts, rules_in_force()) if r.service != referral.service.code]
        chosen = routes[0] if routes else None
        if chosen is None:
            raise DomainError(
                "The rules send this referral nowhere else: choose a service", field="service"
            )
        target = _service(chosen.service)
        explanation = chosen.explanation()
    onward = Referral(
        reference=_new_reference(),
        submission_id=referral.submission_id,
        person_id=referral.person_id,
        service_id=target.id,
        source=referral.source,
        referrer_name=referral.referrer_name,
        referrer_organisation=referral.referrer_organisation,
        referrer_contact=referral.referrer_contact,
        details=referral.details,
        urgency=referral.urgency,
        consent_to_share=referral.consent_to_share,
        received_at=referral.received_at,
        due_at=redirected + (referral.due_at - referral.received_at),
        status=ReferralStatus.RECEIVED,
        status_changed_at=redirected,
        redirected_from_id=referral.id,
        created_by_id=actor.id,
        needs=list(referral.needs),
    )
    _route(
        actor=actor,
        referral=onward,
        kind="redirect",
        explanation=explanation,
        facts={"redirected_from": referral.reference},
        reason=f"redirected from {referral.reference}",
        audit_changes={"redirected_from": referral.id},
    )
    return onward


def _route(
    *,
    actor: User,
    referral: Referral,
    kind: str,
    explanation: list[dict[str, Any]],
    facts: dict[str, Any],
    reason: str,
    audit_changes: dict[str, Any],
) -> None:
    """Record a new referral as received, store why it went where it went, route it, and
    open the receiving service's response task. Its history starts when it came in
    (`status_changed_at`): received and routed then, entered now."""
    db.session.add(referral)
    db.session.flush()
    db.session.add(
        ReferralStatusChange(
            referral_id=referral.id,
            at=referral.status_changed_at,
            from_status=None,
            to_status=ReferralStatus.RECEIVED,
            actor_id=actor.id,
        )
    )
    db.session.add(
        RoutingDecision(
            referral_id=referral.id,
            decided_at=utcnow(),  # the rules ran now, whenever the referral came in
            decided_by_id=actor.id,
            kind=kind,
            explanation=explanation,
            facts=facts,
        )
    )
    change_status(
        actor=actor,
        referral=referral,
        to=ReferralStatus.ROUTED,
        reason=reason,
        at=referral.status_changed_at,
    )
    _response_task(actor, referral)
    audit.record(
        actor,
        "referrals.submit",
        person_id=referral.person_id,
        changes={"referral_id": referral.id, "service": referral.service.code, **audit_changes},
    )


def _response_task(actor: User, referral: Referral) -> None:
    create_task(
        actor=actor,
        person_id=referral.person_id,
        kind=TaskKind.REFERRAL_RESPONSE,
        title=f"Answer referral {referral.reference} ({referral.urgency.value})",
        due_on=clock.local_date(referral.due_at),  # the city's day the answer is due
        owner_team=team_for_service(referral.service),
        referral_id=referral.id,
    )


def routing_actions(referral: Referral) -> dict[str, Any]:
    """The actions of the rules that routed the referral (follow-up days, episode kind …):
    what a service does on accepting is data in the rules, not a branch on its name."""
    merged: dict[str, Any] = {}
    for decision in referral.decisions:
        for entry in decision.explanation:
            merged.update(entry.get("actions") or {})
    return merged


def _service(code: str) -> Service:
    service = db.session.scalar(sa.select(Service).where(Service.code == code))
    if service is None:
        raise DomainError(f"there is no service with code {code!r}", field="service")
    return service


def _new_reference() -> str:
    return "R" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def _routing_summary(target: Route) -> str:
    if target.fell_through:
        return "no rule matched: sent to single point of access triage"
    return "; ".join(f"{f.rule.code} v{f.rule.version}" for f in target.firings)
