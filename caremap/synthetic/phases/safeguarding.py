"""Safeguarding: concerns raised at the calibrated rate (a share in care homes), triaged
within the calibrated time, and the enquiries that follow, each step by the real flow.
Types, locations and sources of risk, and what a concluded enquiry answers for the
Safeguarding Adults Collection, follow the published shares in seed/calibration.json
(safeguarding.sac, each with its source), held to the rules the lead's conclusion is
(safeguarding.sac.check_conclusion) by construction.

Concerns keep no status history of their own, so each step is checked against
caremap.safeguarding.flows as it is made: a step the flow forbids stops the generator.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass
from typing import Any

from caremap.core.clock import local_date
from caremap.episodes.enums import CareHomeType
from caremap.safeguarding.deadlines import add_working_days
from caremap.safeguarding.enums import (
    CARE_HOME_LOCATIONS,
    RISK_IDENTIFIED,
    AbuseCategory,
    ActionResult,
    Capacity,
    ConcernStatus,
    EnquiryStatus,
    LackedCapacity,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    TriageDecision,
)
from caremap.safeguarding.flows import check_concern_step, check_enquiry_step
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted, utc
from caremap.synthetic.phases.care_homes import CareHomes
from caremap.synthetic.phases.cohorts import Cohorts
from caremap.synthetic.records import Cast

LEADS_TEAM = "safeguarding-adults"
TRIAGE_WITHIN_WORKING_DAYS = 2
C = ConcernStatus


@dataclass(frozen=True)
class _Desk:
    leads: list[int]  # the safeguarding team: they triage and lead enquiries
    raisers: list[int]  # anyone on the staff may raise a concern
    lookups: dict[str, Any]


def raise_concerns(
    ctx: CityContext, cast: Cast, cohorts: Cohorts, care_homes: CareHomes, home_care: set[int]
) -> None:
    """Concerns about adults, weighted to the oldest and to people with multiple needs or
    in long-term care; a care-home share is about residents at the time."""
    r, s = ctx.rng, ctx.calibration["safeguarding"]
    population = cast.population
    per_year = s["concerns_per_year_city"] * ctx.scale
    adults = [i for i in range(ctx.people) if population.age(i, ctx.end) >= 18]
    weights, acc = [], 0.0
    for i in adults:
        age = population.age(i, ctx.end)
        w = 6 if age >= 85 else 3 if age >= 75 else 1.5 if age >= 65 else 1
        if cohorts.has_multiple_needs(i) or i in home_care:
            w *= 4
        acc += w
        weights.append(acc)
    lookups = ctx.lookups["safeguarding"]
    desk = _Desk(cast.staff.by_team[LEADS_TEAM], cast.staff.everyone(), lookups)
    current = care_homes.current
    by_date = sorted((stay.started_on, i) for i, stay in current.items())
    admitted = [d for d, _ in by_date]
    residents = [i for _, i in by_date]
    outside = s["sac"]["locations_outside_care_homes"]
    carry = 0.0
    for y in range(ctx.years):
        first, last = ctx.year_window(y)
        carry += per_year
        k = int(carry + 0.5)
        carry -= k
        for _ in range(k):
            day = ctx.rand_day(first, last)
            in_home = r.random() < s["care_home_share"]
            known = bisect.bisect_right(admitted, day)
            if in_home and known:
                i = residents[r.randrange(known)]
                nursing = current[i].kind is CareHomeType.NURSING
                location = (
                    RiskLocation.NURSING_HOME if nursing else RiskLocation.RESIDENTIAL_CARE_HOME
                )
            else:
                for _try in range(20):  # someone not in a care home on the day, if we can
                    i = adults[bisect.bisect(weights, r.random() * acc)]
                    if i not in current or current[i].started_on > day:
                        break
                location = RiskLocation(choice_weighted(r, outside))
            if not cast.hospital.alive(i, day) or population.dob[i] > day:
                continue
            _concern(ctx, cast, desk, i, day, location)
    ctx.progress("safeguarding", 1, 1)


def _decide(r, s: dict[str, Any]) -> TriageDecision:
    u = r.random()
    if u < s["section_42_share"]:
        return TriageDecision.SECTION_42_ENQUIRY
    if u < s["section_42_share"] + s["other_enquiry_share"]:
        return TriageDecision.OTHER_ENQUIRY
    return TriageDecision.NO_FURTHER_ACTION


def _concern(
    ctx: CityContext, cast: Cast, desk: _Desk, i: int, day: dt.date, location: RiskLocation
) -> None:
    r, s = ctx.rng, ctx.calibration["safeguarding"]
    raised = utc(day, 8 * 3600 + r.randrange(9 * 3600))
    if raised > ctx.now:
        raised = ctx.now - dt.timedelta(hours=2)
    cid = ctx.writer.allocate("safeguarding_concerns")
    sac = s["sac"]
    kinds = 2 if r.random() < sac["second_type_share"] else 1
    categories = sorted(
        {AbuseCategory(choice_weighted(r, sac["types_of_risk"])) for _ in range(kinds)}
    )
    setting = "care_home" if location in CARE_HOME_LOCATIONS else "elsewhere"
    source = RiskSource(choice_weighted(r, sac["sources_by_setting"][setting]))
    told = RiskSource.UNKNOWN if r.random() < sac["source_not_known_at_concern"] else source
    triaged = raised + dt.timedelta(hours=r.uniform(2, s["triage_within_days_max"] * 24))
    lead = r.choice(desk.leads)
    values: dict[str, Any] = {
        "id": cid,
        "reference": f"Z{cid:08d}",
        "person_id": cast.people.ids[i],
        "raised_by_id": r.choice(desk.raisers),
        "raised_at": raised,
        "raised_on": local_date(raised),
        "decided_on": None,
        "categories": categories,
        "risk_location": location,
        "risk_source": told,
        "immediate_actions": "Checked the person was safe; told the safeguarding team.",
        "what_happened": "Concern raised during a visit (synthetic record).",
        "person_wishes": "To feel safe where they live" if r.random() < 0.8 else None,
        "wishes_not_asked_reason": None,
        "needs_advocate": r.random() < 0.15,
        "capacity": Capacity(r.choice(desk.lookups["capacity"])),
        "capacity_note": None,
        "status": C.AWAITING_TRIAGE,
        "triage_due_at": add_working_days(raised, TRIAGE_WITHIN_WORKING_DAYS),
        "lead_id": None,
        "test_care_and_support_needs": None,
        "test_abuse_or_neglect": None,
        "test_unable_to_protect_self": None,
        "decision": None,
        "decision_reason": None,
        "signposting": None,
        "triaged_at": None,
        "triaged_by_id": None,
        "closed_at": None,
        "version": 1,
    }
    if values["person_wishes"] is None:
        values["wishes_not_asked_reason"] = "The person could not be asked at the time"
    enquiry = None
    if triaged <= ctx.now:
        decision = _decide(r, s)
        s42 = decision is TriageDecision.SECTION_42_ENQUIRY
        nfa = decision is TriageDecision.NO_FURTHER_ACTION
        status = ConcernStatus(decision.value)
        check_concern_step(C.AWAITING_TRIAGE, status)
        values.update(
            lead_id=lead,
            test_care_and_support_needs=True if s42 else r.random() < 0.6,
            test_abuse_or_neglect=True if s42 else r.random() < 0.5,
            test_unable_to_protect_self=s42,
            decision=decision,
            decision_reason="Section 42(1) test met" if s42 else "Section 42(1) test not met",
            signposting="Advice given" if nfa else None,
            triaged_at=triaged,
            decided_on=local_date(triaged),
            triaged_by_id=lead,
            status=status,
            version=3,  # the lead assigned, then the triage recorded
        )
        if nfa:
            values["closed_at"] = triaged
        else:
            enquiry = (s42, triaged.date())
    concluded = None
    if enquiry is not None:
        closes = enquiry[1] + dt.timedelta(days=int(r.expovariate(1 / s["enquiry_days_mean"])) + 7)
        if closes <= ctx.end:
            concluded = closes
            check_concern_step(values["status"], C.CLOSED)
            values["status"] = C.CLOSED
            values["closed_at"] = utc(closes, 16 * 3600)
            values["version"] = 4
    ctx.writer.add_row("safeguarding_concerns", values)
    if enquiry is None:
        return
    risks = [(kind, location, source) for kind in categories]
    _enquiry(ctx, cast, i, cid, lead, enquiry, concluded, risks)


def _enquiry(
    ctx: CityContext,
    cast: Cast,
    i: int,
    cid: int,
    lead: int,
    enquiry: tuple[bool, dt.date],
    concluded: dt.date | None,
    risks: list[tuple[AbuseCategory, RiskLocation, RiskSource]],
) -> None:
    """The enquiry and its risks: the concern's (each kind, where, from whom: the whom
    settled by the enquiry when the raiser did not know), as triage starts them."""
    r, s = ctx.rng, ctx.calibration["safeguarding"]
    status = EnquiryStatus.OPEN
    answers = dict.fromkeys(
        (
            "action_result",
            "risk_outcome",
            "lacked_capacity",
            "capacity_support",
            "msp_asked",
            "outcomes_achieved",
        )
    )
    if concluded:
        check_enquiry_step(status, EnquiryStatus.CONCLUDED)
        status = EnquiryStatus.CONCLUDED
        answers = _answers(r, s)
    risk = answers["risk_outcome"]
    eid = ctx.writer.allocate("safeguarding_enquiries")
    ctx.writer.row(
        "safeguarding_enquiries",
        id=eid,
        concern_id=cid,
        person_id=cast.people.ids[i],
        is_section_42=enquiry[0],
        lead_id=lead,
        started_on=enquiry[1],
        status=status,
        substantiated=None,  # the question before SAC's: no longer asked
        risk_remains_reason=(
            "The person chose to accept the risk" if risk is RiskOutcome.REMAINS else None
        ),
        **answers,
        conclusion="Enquiry concluded (synthetic record)" if concluded else None,
        closed_on=concluded,
        concluded_at=utc(concluded, 16 * 3600) if concluded else None,
        shared_summary=None,
        version=2 if concluded else 1,
    )
    for kind, location, source in risks:
        ctx.writer.row(
            "safeguarding_enquiry_risks",
            id=ctx.writer.allocate("safeguarding_enquiry_risks"),
            enquiry_id=eid,
            risk_type=kind,
            risk_location=location,
            risk_source=source,
        )


def _answers(r, s: dict[str, Any]) -> dict[str, Any]:
    """What a concluded enquiry answers for the collection, fitting together as the lead's
    conclusion must: a risk outcome only where a risk was identified (always when action
    was taken), support only for someone who lacked capacity, outcomes achieved only
    where outcomes were expressed."""
    sac = s["sac"]
    result = ActionResult(choice_weighted(r, sac["action_results"]))
    identified = result in RISK_IDENTIFIED
    with_outcome = result == ActionResult.RISK_IDENTIFIED_ACTION_TAKEN or (
        identified and r.random() < 0.5
    )
    lacked = LackedCapacity(choice_weighted(r, sac["lacked_capacity"]))
    asked = MspAsked(choice_weighted(r, sac["msp_asked"]))
    expressed = asked == MspAsked.ASKED_OUTCOMES_EXPRESSED
    return {
        "action_result": result,
        "risk_outcome": (
            RiskOutcome(choice_weighted(r, s["risk_outcomes"])) if with_outcome else None
        ),
        "lacked_capacity": lacked,
        "capacity_support": (
            r.random() < sac["supported_if_lacked"] if lacked == LackedCapacity.YES else None
        ),
        "msp_asked": asked,
        "outcomes_achieved": (
            OutcomesAchieved(choice_weighted(r, s["outcomes_achieved"])) if expressed else None
        ),
    }
