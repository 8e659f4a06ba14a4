"""Long-term support as CLD counts it: the social care profile, assessments (carers' too),
care packages and reviews, drawn for the episodes the city already holds.

Runs last, after every episode and carer is written, and reads them back set-based: an
episode that IS a CLD service (care home admission, reablement, self-directed support;
caremap.longterm.mapping) gets its care package, exactly as the episode_started handler
gives one on a live record, so the city and the live record agree on what maps to what.
Each long-term or short-term package follows an assessment; a calibrated share of
assessments leads to no service; packages open a year are reviewed at the calibrated
rate; carers with a record of their own get carers' assessments. Rates and their sources:
seed/calibration.json "long_term_support_events"; value lists: seed/cld (Release 2).

Every person a CLD row is written for gets the profile a council records at first
contact, as a live record would hold: those with a service, and also adults whose only
event is a Request (a referral to an adult social care service, seed/cld/requests.json)
and carers with a carer's assessment (Client Type "Unpaid carer", the carer's Primary
Support Reason). CLD makes Ethnicity, Accommodation Status and Has Unpaid Carer
mandatory on every row, and Primary Support Reason on every row but a Request.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from caremap.catalogue.models import Service, Strand
from caremap.core import clock
from caremap.core.seeds import read_seed
from caremap.episodes.enums import EpisodeKind
from caremap.episodes.models import Episode
from caremap.longterm.mapping import ENDED_AS_PLANNED, service_of_episode
from caremap.longterm.models import CarePackage, SocialCareProfile
from caremap.people.models import Person, RelatedPerson
from caremap.referrals.models import Referral
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted, utc

DAY = dt.timedelta(days=1)
ADULT_AGE = 18
CARER_CLIENT_TYPE = "Unpaid carer"
CARER_SUPPORT_REASON = (
    "Social support: Support to unpaid carer"  # seed/cld/primary_support_reason.json
)
SERVICE_KINDS = (
    EpisodeKind.CARE_HOME_ADMISSION,
    EpisodeKind.REABLEMENT,
    EpisodeKind.SELF_DIRECTED_SUPPORT,
)


def _age(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def record_long_term_support(ctx: CityContext) -> None:
    cal = ctx.calibration["long_term_support_events"]
    ctx.writer.flush("episodes")  # the episodes and carers before are in the database now
    connection = ctx.writer.connection
    episodes = connection.execute(
        sa.select(
            Episode.id,
            Episode.person_id,
            Episode.referral_id,
            Episode.kind,
            Episode.started_on,
            Episode.ended_on,
            Episode.care_home_type,
            Episode.is_permanent,
            Episode.support_type,
            Episode.created_by_id,
            Person.date_of_birth,
            Person.date_of_death,
        )
        .join(Person, Person.id == Episode.person_id)
        .where(
            Episode.kind.in_(SERVICE_KINDS),
            ~sa.exists().where(CarePackage.episode_id == Episode.id),
        )
        .order_by(Episode.id)
    ).all()
    people: dict[int, dict[str, Any]] = {}
    for n, episode in enumerate(episodes):
        _package_with_its_assessment(ctx, cal, episode, people)
        if n % 5000 == 0:
            ctx.progress("long-term support", n, len(episodes))
    _assessments_without_service(ctx, cal, people)
    carers = _carers(connection, list(people))
    assessed_carers = _carers_assessments(ctx, cal, carers, people)
    for person_id in sorted(people):
        _profile(ctx, cal, person_id, people[person_id], person_id in carers.cared_for)
    _profiles_at_first_contact(ctx, cal, set(people), assessed_carers)
    ctx.progress("long-term support", len(episodes), len(episodes))


def _package_with_its_assessment(ctx, cal, episode, people) -> None:
    r, w = ctx.rng, ctx.writer
    service = service_of_episode(SimpleNamespace(**episode._mapping))
    if service is None:
        return
    start, end = episode.started_on, episode.ended_on
    long_term = service["service_type"].startswith("Long term support")
    # the assessment that led to it: ended the day before the service began
    assessed_to = start - DAY * r.randint(0, 7)
    assessed_from = max(assessed_to - DAY * r.randint(1, 42), episode.date_of_birth)
    assessment_id = w.allocate("care_assessments")
    _assessment_row(
        ctx,
        cal,
        assessment_id,
        episode.person_id,
        episode.created_by_id,
        "Long term assessment" if long_term else "Short term assessment",
        assessed_from,
        min(assessed_to, ctx.end),
        "Progress to support planning or services"
        if long_term
        else "Progress to reablement/ST-Max",
        eligible=True,
        referral_id=episode.referral_id,
    )
    costs = _costs(ctx, cal, service)
    funded = choice_weighted(r, cal["funded_by"])
    died = episode.date_of_death is not None and end is not None and end >= episode.date_of_death
    package_id = w.allocate("care_packages")
    w.row(
        "care_packages",
        id=package_id,
        person_id=episode.person_id,
        **service,
        provider_name=r.choice(ctx.lookups["care_providers"]),
        provider_cqc_location_id=f"1-{r.randrange(10**8, 10**10)}",
        started_on=start,
        ended_on=end,
        outcome=None if end is None else ("NFA: Deceased" if died else ENDED_AS_PLANNED),
        **costs,
        funded_by=funded,
        description=None,
        assessment_id=assessment_id,
        episode_id=episode.id,
        recorded_by_id=episode.created_by_id,
        version=1,
        created_at=utc(max(start, ctx.start), 11 * 3600),
    )
    seen = people.setdefault(
        episode.person_id,
        {"born": episode.date_of_birth, "types": [], "funded": None, "by": episode.created_by_id},
    )
    seen["types"].append(service["service_type"])
    seen["funded"] = funded
    if long_term:
        _reviews(ctx, cal, episode, package_id, start, end)


def _costs(ctx, cal, service) -> dict[str, Any]:
    """Unit cost, frequency and planned units: weekly for a placement, hourly in the
    community, none for reablement (the council commissions it; CLD asks for none)."""
    r = ctx.rng
    band = cal["unit_costs"].get(service["service_type"])
    if band is None:
        return {"planned_units_per_week": None, "unit_cost": None, "cost_frequency": None}
    cost = max(band["low"], min(band["high"], r.gauss(band["mean"], band["sd"])))
    units = 1 if band["frequency"] == "Weekly" else r.randint(*band["hours_a_week"])
    return {
        "planned_units_per_week": Decimal(units),
        "unit_cost": Decimal(f"{cost:.2f}"),
        "cost_frequency": band["frequency"],
    }


def _assessment_row(
    ctx,
    cal,
    assessment_id,
    person_id,
    by,
    kind_type,
    started,
    ended,
    outcome,
    *,
    eligible,
    referral_id=None,
    carer=None,
) -> None:
    r = ctx.rng
    ctx.writer.row(
        "care_assessments",
        id=assessment_id,
        person_id=person_id,
        kind="carers_assessment" if carer else "needs_assessment",
        assessment_type=kind_type,
        method=choice_weighted(r, cal["method_of_assessment"]),
        eligible_needs_identified=eligible,
        started_on=started,
        ended_on=ended,
        outcome=outcome,
        description=None,
        referral_id=referral_id,
        hours_caring_per_week=carer["hours"] if carer else None,
        adults_cared_for=1 if carer else None,
        cared_for_person_id=carer["cared_for"] if carer else None,
        wemwbs_score=_wemwbs(ctx, cal),
        recorded_by_id=by,
        version=1,
        created_at=utc(max(ended, ctx.start), 15 * 3600),
    )


def _wemwbs(ctx, cal) -> int | None:
    """A WEMWBS total on a calibrated share of assessments and reviews, drawn around
    England's adult mean (seed/calibration.json "wemwbs") and kept on the scale."""
    r, band = ctx.rng, cal["wemwbs"]
    if r.random() >= band["share_scored"]:
        return None
    return max(14, min(70, round(r.gauss(band["mean"], band["sd"]))))


def _reviews(ctx, cal, episode, package_id, start, end) -> None:
    """A planned review on each anniversary at the calibrated rate; unplanned ones between."""
    r = ctx.rng
    last = min(end or ctx.end, ctx.end)
    due = start + dt.timedelta(days=365)
    while due <= last:
        if due >= ctx.start and r.random() < cal["planned_review_share_a_year"]:
            _review_row(ctx, cal, episode, package_id, due, "Planned: Cyclical or scheduled")
        if r.random() < cal["unplanned_reviews_a_year"]:
            day = due - DAY * r.randint(30, 300)
            if day >= max(start, ctx.start):
                reason = choice_weighted(r, cal["unplanned_review_reasons"])
                _review_row(ctx, cal, episode, package_id, day, reason)
        due += dt.timedelta(days=365)


def _review_row(ctx, cal, episode, package_id, day, reason) -> None:
    r, w = ctx.rng, ctx.writer
    ended = min(day + DAY * r.randint(0, 14), ctx.end)
    planned = reason.startswith("Planned")
    w.row(
        "care_reviews",
        id=w.allocate("care_reviews"),
        person_id=episode.person_id,
        care_package_id=package_id,
        review_reason=reason,
        method=choice_weighted(r, cal["method_of_review"]),
        outcomes_achieved=choice_weighted(r, cal["review_outcomes_achieved"]) if planned else None,
        started_on=day,
        ended_on=ended,
        outcome=choice_weighted(r, cal["review_outcomes"]),
        description=None,
        wemwbs_score=_wemwbs(ctx, cal),
        recorded_by_id=episode.created_by_id,
        version=1,
        created_at=utc(ended, 14 * 3600),
    )


def _assessments_without_service(ctx, cal, people) -> None:
    """Assessments that end with no service (information and advice, support declined,
    not eligible), a calibrated number for each that leads to one."""
    r, w = ctx.rng, ctx.writer
    for person_id in sorted(people):
        if r.random() >= cal["assessments_without_service_per_person"]:
            continue
        day = ctx.rand_day(ctx.start, ctx.end - DAY)
        _assessment_row(
            ctx,
            cal,
            w.allocate("care_assessments"),
            person_id,
            people[person_id]["by"],
            "Long term assessment",
            day,
            min(day + DAY * r.randint(1, 28), ctx.end),
            choice_weighted(r, cal["no_service_outcomes"]),
            eligible=False,
        )


def _carers(connection, person_ids: list[int]) -> SimpleNamespace:
    rows = connection.execute(
        sa.select(
            RelatedPerson.person_id, RelatedPerson.carer_person_id, RelatedPerson.recorded_by_id
        )
        .where(RelatedPerson.is_carer.is_(True))
        .order_by(RelatedPerson.id)
    ).all()
    wanted = set(person_ids)
    return SimpleNamespace(
        cared_for={row.person_id for row in rows if row.person_id in wanted},
        with_record=[row for row in rows if row.person_id in wanted and row.carer_person_id],
    )


def _carers_assessments(ctx, cal, carers, people) -> dict[int, int]:
    """Returns each assessed carer with the worker who recorded them."""
    r, w = ctx.rng, ctx.writer
    assessed: dict[int, int] = {}
    for row in carers.with_record:
        if row.carer_person_id == row.person_id or r.random() >= cal["carers_assessment_share"]:
            continue
        day = ctx.rand_day(ctx.start, ctx.end - DAY)
        hours = Decimal(str(choice_weighted(r, cal["hours_caring_per_week"])))
        _assessment_row(
            ctx,
            cal,
            w.allocate("care_assessments"),
            row.carer_person_id,
            row.recorded_by_id,
            "Long term assessment",
            day,
            min(day + DAY * r.randint(1, 28), ctx.end),
            choice_weighted(r, cal["carer_outcomes"]),
            eligible=r.random() < 0.7,
            carer={"hours": hours, "cared_for": row.person_id},
        )
        assessed.setdefault(row.carer_person_id, row.recorded_by_id)
    return assessed


def _requesters(connection) -> dict[int, SimpleNamespace]:
    """Adults with a CLD Request (seed/cld/requests.json, as caremap.returns.cld reads it)
    and no profile yet, each with their date of birth and the worker who took it."""
    table = read_seed("cld/requests.json")
    rows = connection.execute(
        sa.select(
            Referral.person_id,
            Referral.received_at,
            Referral.created_by_id,
            Person.date_of_birth,
        )
        .join(Person, Person.id == Referral.person_id)
        .join(Service, Service.id == Referral.service_id)
        .join(Strand, Strand.id == Service.strand_id)
        .where(
            Strand.code.in_(table["request_strands"]),
            Service.code.notin_(table["not_requests"]["services"]),
            ~sa.exists().where(SocialCareProfile.person_id == Referral.person_id),
        )
        .order_by(Referral.id)
    ).all()
    found: dict[int, SimpleNamespace] = {}
    for row in rows:
        if _age(row.date_of_birth, clock.local_date(row.received_at)) >= ADULT_AGE:
            found.setdefault(
                row.person_id, SimpleNamespace(born=row.date_of_birth, by=row.created_by_id)
            )
    return found


def _profiles_at_first_contact(ctx, cal, profiled: set[int], assessed_carers) -> None:
    """Profiles for the requesters and assessed carers the service phase left without one."""
    connection = ctx.writer.connection
    # the profiles just written wait in the writer's buffer: `profiled` holds them
    requesters = {k: v for k, v in _requesters(connection).items() if k not in profiled}
    carer_ids = sorted(set(assessed_carers) - profiled - set(requesters))
    with_profile = set(
        connection.scalars(
            sa.select(SocialCareProfile.person_id).where(SocialCareProfile.person_id.in_(carer_ids))
        )
    )
    born = dict(
        connection.execute(
            sa.select(Person.id, Person.date_of_birth).where(Person.id.in_(carer_ids))
        ).all()
    )
    cared_for = _carers(connection, list(requesters)).cared_for
    for person_id, found in sorted(requesters.items()):
        seen = {"born": found.born, "types": [], "funded": None, "by": found.by}
        _profile(ctx, cal, person_id, seen, person_id in cared_for, funding=None)
    for person_id in carer_ids:
        if person_id in with_profile:
            continue
        seen = {
            "born": born[person_id],
            "types": [],
            "funded": None,
            "by": assessed_carers[person_id],
        }
        _profile(ctx, cal, person_id, seen, False, carer=True)


def _profile(ctx, cal, person_id, seen, has_carer, *, carer=False, funding="default") -> None:
    r = ctx.rng
    types = seen["types"]
    older = _age(seen["born"], ctx.end) >= 65
    band = cal["profile"]["65_plus" if older else "18_64"]
    psr = CARER_SUPPORT_REASON if carer else choice_weighted(r, band["primary_support_reason"])
    if "Long term support: Nursing care" in types:
        accommodation = "Registered nursing home"
    elif "Long term support: Residential care" in types:
        accommodation = "Registered care home"
    else:
        accommodation = choice_weighted(r, band["accommodation_status"])
    ctx.writer.row(
        "social_care_profiles",
        id=ctx.writer.allocate("social_care_profiles"),
        person_id=person_id,
        client_type=CARER_CLIENT_TYPE if carer else "Service user",
        primary_support_reason=psr,
        accommodation_status=accommodation,
        employment_status=choice_weighted(r, band["employment_status"]),
        ethnicity=choice_weighted(r, cal["profile"]["ethnicity"]),
        visual_impairment="Yes" if r.random() < band["visual_impairment"] else "No",
        hearing_impairment="Yes" if r.random() < band["hearing_impairment"] else "No",
        dementia=psr == "Support with memory and cognition" or r.random() < band["dementia"],
        autism=r.random() < band["autism"],
        has_unpaid_carer=has_carer,
        # a requester or a carer has no service the council funds (yet)
        client_funding_status=None
        if carer or funding is None
        else (seen["funded"] or "Fully social care funded"),
        updated_at=ctx.now,
        updated_by_id=seen["by"],
        version=1,
    )
