"""Long-term support: referrals that start long-term home care or supported living,
each with a personal budget (self-directed support)."""

from __future__ import annotations

import datetime as dt

from caremap.episodes.enums import EpisodeKind, SupportType
from caremap.routing.enums import ReferralSource, Urgency
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import choice_weighted
from caremap.synthetic.phases.referrals import EpisodePlan, ReferralDesk

HOME_CARE = "home_care_long_term"
SUPPORTED_LIVING = "supported_living"
PERSONAL_BUDGETS = "personal_budgets"


def refer_long_term_support(ctx: CityContext, desk: ReferralDesk, home_care: set[int]) -> None:
    """Support that began up to three years before the history is dated to its first
    day, so the history opens with a caseload rather than an empty service."""
    r, cast = ctx.rng, desk.cast
    lookups = ctx.lookups["long_term_support"]
    support_types = ctx.calibration["long_term_support"]["support_types"]
    for i in sorted(home_care):
        first = ctx.rand_day(ctx.start - dt.timedelta(days=365 * 3), ctx.end)
        day = max(first, ctx.start)
        if not cast.hospital.alive(i, day):
            continue
        age = cast.population.age(i, day)
        main = "personal_care" if age >= 65 or r.random() < 0.6 else "supported_living"
        service = HOME_CARE if main == "personal_care" else SUPPORTED_LIVING
        needs = [main, "personal_budget"]
        if r.random() < 0.3:
            needs.append(r.choice(lookups["extra_needs"]))
        support = SupportType(choice_weighted(r, support_types))
        end = cast.hospital.deaths.get(i)
        reason = "Died" if end else None
        desk.refer(
            i,
            day,
            tuple(sorted(needs)),
            urgency=Urgency.ROUTINE,
            source=ReferralSource(r.choice(lookups["sources"])),
            force_accept=True,
            episodes={
                service: EpisodePlan(started_on=day, ended_on=end, end_reason=reason),
                PERSONAL_BUDGETS: EpisodePlan(
                    kind=EpisodeKind.SELF_DIRECTED_SUPPORT,
                    started_on=day,
                    ended_on=end,
                    end_reason=reason,
                    columns={"support_type": support},
                ),
            },
        )
