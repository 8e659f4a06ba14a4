"""The episodes of hospital admissions and care-home stays decided earlier."""

from __future__ import annotations

from caremap.episodes.enums import EpisodeKind
from caremap.synthetic.context import CityContext
from caremap.synthetic.phases.care_homes import CareHomes
from caremap.synthetic.records import Cast, write_episode

HOSPITAL_SERVICE = "hospital_discharge"
CARE_HOME_SERVICE = "home_care_long_term"


def write_stays(ctx: CityContext, cast: Cast, care_homes: CareHomes) -> None:
    """Written only now, after the people rows, because an episode names its person and
    the worker who opened it."""
    admissions = cast.hospital.admissions
    deaths = cast.hospital.deaths
    for n, a in enumerate(admissions):
        ended = a.discharged_on if a.discharged_on <= ctx.end else None
        write_episode(
            ctx,
            cast,
            a.person,
            HOSPITAL_SERVICE,
            EpisodeKind.HOSPITAL_ADMISSION,
            a.admitted_on,
            ended_on=ended,
            end_reason="Discharged" if ended else None,
            is_emergency=a.is_emergency,
            # a ready date is kept only for a delayed discharge the history has seen
            discharge_ready_on=a.ready_on
            if a.ready_on <= ctx.end and a.ready_on != a.discharged_on
            else None,
            admission_condition=a.condition,
        )
        if n % 50000 == 0:
            ctx.progress("admissions", n, len(admissions))
    for stay in care_homes.stays:
        died = deaths.get(stay.person)
        end = stay.ended_on or died
        write_episode(
            ctx,
            cast,
            stay.person,
            CARE_HOME_SERVICE,
            EpisodeKind.CARE_HOME_ADMISSION,
            stay.started_on,
            ended_on=end,
            end_reason=("Moved to another care home" if not died else "Died") if end else None,
            care_home_type=stay.kind,
            is_permanent=stay.is_permanent,
            moved_from_care_home=stay.moved_from_care_home,
        )
    ctx.progress("admissions", len(admissions), len(admissions))
