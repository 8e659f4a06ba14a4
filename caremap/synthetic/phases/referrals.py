"""The referral desk: routes a referral through the rules in force and plays out each
service's answer, step by step through the real referral flow.

Every status change goes through caremap.referrals.flows.check_transition as it is
made, so the city cannot drift from the flow: a step the flow forbids stops the
generator rather than landing in the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from caremap.episodes.enums import EpisodeKind
from caremap.people.enums import ConsentStatus
from caremap.referrals.enums import ReferralStatus as S
from caremap.referrals.flows import check_transition
from caremap.routing.engine import Facts, route
from caremap.routing.enums import ReferralSource, Urgency
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import utc
from caremap.synthetic.records import Cast, Done, write_episode, write_task
from caremap.worktasks.enums import TaskKind

GP_TEAM = "gp-practices"  # in the lookups: the GP team of the person's own area
GP_SERVICE = "gp_practices"
SPA = "spa_triage"  # where a redirect goes when the strand has no other service
# routing_decisions.kind, as caremap.referrals.operations writes it
RULES, FALL_THROUGH, REDIRECT = "rules", "fall_through", "redirect"
CONSENT_SHARE = 0.96
SEEN_WITHOUT_EPISODE = "Seen and supported; no ongoing episode needed"


@dataclass(frozen=True)
class EpisodePlan:
    """The episode an accepted referral starts (started_on: the day of the answer unless
    given); `columns` are the episode's other optional columns."""

    kind: EpisodeKind = EpisodeKind.GENERAL
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    end_reason: str | None = None
    columns: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Redirect:
    referral_id: int
    at: dt.datetime
    by_service: str  # its name, for the explanation
    reason: str


@dataclass(frozen=True)
class _Submission:
    """What every referral made from one submission shares."""

    person: int
    columns: dict[str, Any]
    facts: dict[str, Any]
    hours: float  # the response time for its urgency


class _Trail:
    """A referral's status history, each step checked against the real flow."""

    def __init__(self, at: dt.datetime, actor: int) -> None:
        self.changes: list[tuple[dt.datetime, S | None, S, int, str | None]] = [
            (at, None, S.RECEIVED, actor, None)
        ]

    @property
    def status(self) -> S:
        return self.changes[-1][2]

    def step(self, at: dt.datetime, to: S, actor: int, reason: str | None = None) -> None:
        check_transition(self.status, to)
        self.changes.append((at, self.status, to, actor, reason))


class ReferralDesk:
    """What the referral streams share: the route cache (most referrals have facts seen
    before) and who has had their consent recorded."""

    def __init__(self, ctx: CityContext, cast: Cast) -> None:
        self.ctx = ctx
        self.cast = cast
        self.routes: dict[tuple, tuple[dict[str, Any], list[tuple]]] = {}
        self.consented: set[int] = set()
        self.lookups = ctx.lookups

    def refer(
        self,
        i: int,
        day: dt.date,
        needs: tuple[str, ...],
        *,
        urgency: Urgency,
        source: ReferralSource,
        episodes: dict[str, EpisodePlan] | None = None,
        force_accept: bool = False,
        opened: tuple[str, ...] = (),
    ) -> dict[str, int]:
        """One submission: a referral to each service the rules route it to, each
        answered in turn. `episodes` maps a service to the episode it starts when it
        accepts; returns {service: referral id} for the accepted ones."""
        ctx, cast, r = self.ctx, self.cast, self.ctx.rng
        received = utc(day, 8 * 3600 + r.randrange(10 * 3600))
        if received > ctx.now:
            received = ctx.now - dt.timedelta(hours=1)
        facts, routes = self._route(i, needs, urgency, source, day, opened)
        sender = self.lookups["referral_sources"][source]
        team = sender["team"]
        team = cast.team_for(ctx, GP_SERVICE, i) if team == GP_TEAM else team
        actor = r.choice(cast.staff.by_team[team])
        if source is ReferralSource.SELF:
            referrer = cast.people.full_name(i)
        elif source is ReferralSource.FAMILY_OR_CARER:
            referrer = f"{r.choice(cast.names.anyone)} {cast.people.family[i]}"
        else:
            referrer = cast.staff.names[actor]
        consent = r.random() < CONSENT_SHARE
        if i not in self.consented:
            self.consented.add(i)
            ctx.writer.row(
                "consent_records",
                id=ctx.writer.allocate("consent_records"),
                person_id=cast.people.ids[i],
                status=ConsentStatus.GIVEN if consent else ConsentStatus.REFUSED,
                decided_on=received.date(),
                note=None,
                recorded_by_id=actor,
                recorded_at=received,
            )
        sid = ctx.writer.allocate("referral_submissions")
        ctx.writer.row(
            "referral_submissions",
            id=sid,
            person_id=cast.people.ids[i],
            idempotency_key=None,
            request_fingerprint=None,
            submitted_by_id=actor,
            created_at=received,
        )
        submission = _Submission(
            person=i,
            columns={
                "submission_id": sid,
                "person_id": cast.people.ids[i],
                "source": source,
                "referrer_name": referrer,
                "referrer_organisation": sender["organisation"],
                "referrer_contact": f"01632 960{r.randrange(1000):03d}",
                "details": None,
                "urgency": urgency,
                "consent_to_share": consent,
                "received_at": received,
                "created_by_id": actor,
            },
            facts=facts,
            hours=ctx.reference.response_hours[urgency],
        )
        accepted: dict[str, int] = {}
        for service, kind, explanation in routes:
            plan = (episodes or {}).get(service)
            self._answer(submission, service, kind, explanation, plan, force_accept, accepted)
        return accepted

    def _route(self, i, needs, urgency, source, day, opened) -> tuple[dict[str, Any], list]:
        """The routing engine's answer, cached by the facts: its explanation is what a
        worker would see on the referral."""
        facts = Facts(
            needs=frozenset(needs),
            urgency=urgency,
            source=source,
            age=self.cast.population.age(i, day),
            area=self.cast.people.district[i],
            open_services=frozenset(opened),
        )
        key = (facts.needs, urgency, source, facts.age, facts.area, facts.open_services)
        cached = self.routes.get(key)
        if cached is None:
            routes = route(facts, self.ctx.reference.rules)
            cached = (
                facts.as_dict(),
                [
                    (rt.service, FALL_THROUGH if rt.fell_through else RULES, rt.explanation())
                    for rt in routes
                ],
            )
            self.routes[key] = cached
        return cached

    def _answer(
        self,
        submission: _Submission,
        service: str,
        kind: str,
        explanation: Any,
        plan: EpisodePlan | None,
        force_accept: bool,
        accepted: dict[str, int],
        redirected_from: _Redirect | None = None,
    ) -> None:
        """One referral to one service, from received to where the history leaves it;
        a redirect makes the onward referral (never redirected again)."""
        ctx, cast, r = self.ctx, self.cast, self.ctx.rng
        cal = ctx.calibration["referrals"]
        i = submission.person
        base = submission.columns
        rid = ctx.writer.allocate("referrals")
        received = base["received_at"] if redirected_from is None else redirected_from.at
        due = received + dt.timedelta(hours=submission.hours)
        actor = base["created_by_id"]
        trail = _Trail(received, actor)
        trail.step(received, S.ROUTED, actor)
        answer_within = self.lookups["answer_within_hours"][base["urgency"]]
        responded = received + dt.timedelta(hours=r.random() * answer_within * 1.3 + 0.25)
        unanswered = responded > ctx.now
        decline_reason, outcome, onward = None, None, None
        responder = cast.worker(ctx, service, i)
        if not unanswered:
            u = 1.0 if force_accept else r.random()
            if u < cal["declined_share"]:
                decline_reason = r.choice(self.lookups["decline_reasons"])
                trail.step(responded, S.DECLINED, responder, decline_reason)
            elif u < cal["declined_share"] + cal["redirected_share"] and redirected_from is None:
                trail.step(
                    responded, S.REDIRECTED, responder, r.choice(self.lookups["redirect_reasons"])
                )
                strand = ctx.reference.strands[ctx.reference.service_strand[service]]
                others = [s for s in strand if s != service]
                onward = r.choice(others) if others else SPA
            else:
                trail.step(responded, S.ACCEPTED, responder)
                accepted[service] = rid
                if plan is not None:
                    trail.step(responded, S.ACTIVE, responder)
                    if plan.ended_on is not None and utc(plan.ended_on, 16 * 3600) <= ctx.now:
                        outcome = "Episode ended: " + (plan.end_reason or "completed")
                        trail.step(utc(plan.ended_on, 16 * 3600), S.CLOSED, responder, outcome)
                else:
                    closes = responded + dt.timedelta(days=r.randint(3, 60))
                    if closes <= ctx.now:
                        outcome = SEEN_WITHOUT_EPISODE
                        trail.step(closes, S.CLOSED, responder, outcome)
        ctx.writer.row(
            "referrals",
            id=rid,
            reference=f"Y{rid:08d}",
            service_id=ctx.reference.services[service],
            due_at=due,
            status=trail.status,
            status_changed_at=trail.changes[-1][0],
            responded_at=None if unanswered else responded,
            # Answered as it happened, entered at the time: the city has no back-entry.
            response_recorded_at=None if unanswered else responded,
            first_contact_at=None,
            first_contact_recorded_at=None,
            decline_reason=decline_reason,
            outcome=outcome,
            redirected_from_id=redirected_from.referral_id if redirected_from else None,
            # The city's referrals predate the form's discharge questions: not recorded.
            discharge_on=None,
            discharge_ward=None,
            version=len(trail.changes),
            created_at=received,
            **base,
        )
        for need in submission.facts["needs"]:
            ctx.writer.add("referral_needs", (rid, need))
        write_task(
            ctx,
            cast,
            i,
            TaskKind.REFERRAL_RESPONSE,
            f"Answer referral Y{rid:08d} ({base['urgency']})",
            due.date(),
            cast.team_for(ctx, service, i),
            created=received,
            referral_id=rid,
            done=None if unanswered else Done(responded, responder),
        )
        facts: dict[str, Any] = submission.facts
        if redirected_from is not None:
            kind, facts = REDIRECT, {"redirected_from": f"Y{redirected_from.referral_id:08d}"}
            explanation = [
                {
                    "rule": None,
                    "name": "Redirected by the receiving service",
                    "matched": [
                        f"{redirected_from.by_service} redirected it: {redirected_from.reason}"
                    ],
                }
            ]
        ctx.writer.row(
            "routing_decisions",
            id=ctx.writer.allocate("routing_decisions"),
            referral_id=rid,
            decided_at=received,
            decided_by_id=actor,
            kind=kind,
            explanation=explanation,
            facts=facts,
        )
        for at, frm, to, who, reason in trail.changes:
            ctx.writer.row(
                "referral_status_changes",
                id=ctx.writer.allocate("referral_status_changes"),
                referral_id=rid,
                at=at,
                recorded_at=at,
                from_status=frm,
                to_status=to,
                actor_id=who,
                reason=reason,
            )
        if plan is not None and trail.status in (S.ACTIVE, S.CLOSED):
            write_episode(
                ctx,
                cast,
                i,
                service,
                plan.kind,
                plan.started_on or responded.date(),
                referral_id=rid,
                created_by_id=responder,
                ended_on=plan.ended_on,
                end_reason=plan.end_reason,
                **plan.columns,
            )
        if onward is not None:
            self._answer(
                submission,
                onward,
                REDIRECT,
                None,
                None,
                False,
                accepted,
                _Redirect(
                    rid, responded, ctx.reference.service_names[service], trail.changes[-1][4]
                ),
            )
