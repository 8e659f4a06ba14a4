"""Rows that several phases write alike: episodes (with their day-91 task) and tasks.

They are written as the operations would leave them (status, version, completed_*),
since COPY runs none of the operations' code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from caremap.episodes.enums import EpisodeKind
from caremap.synthetic.context import CityContext
from caremap.synthetic.draws import utc
from caremap.synthetic.phases.hospital import Hospital
from caremap.synthetic.phases.names import Names
from caremap.synthetic.phases.people import People
from caremap.synthetic.phases.population import Population
from caremap.synthetic.phases.staff import Staff
from caremap.worktasks.enums import TaskKind, TaskStatus

DAY91_TITLE = "Where is the person 91 days after discharge?"
COMPLETED = "Episode completed"


@dataclass(frozen=True)
class Cast:
    """Who is who once the people and staff rows exist: what the history phases need to
    name a person, a worker or a team."""

    names: Names
    population: Population
    people: People
    staff: Staff
    hospital: Hospital

    def team_for(self, ctx: CityContext, service: str, i: int) -> str:
        """The team that serves the person's area: their tasks and workers come from it."""
        return ctx.reference.team_for(service, self.population.area[i])

    def worker(self, ctx: CityContext, service: str, i: int) -> int:
        """Any worker of the service's team for the person's area."""
        return ctx.rng.choice(self.staff.by_team[self.team_for(ctx, service, i)])


@dataclass(frozen=True, slots=True)
class Done:
    """How a task was completed."""

    at: dt.datetime
    by: int
    outcome: dict[str, Any] | None = None


def write_task(
    ctx: CityContext,
    cast: Cast,
    i: int,
    kind: TaskKind,
    title: str,
    due_on: dt.date,
    team: str,
    *,
    created: dt.datetime,
    done: Done | None,
    episode_id: int | None = None,
    referral_id: int | None = None,
) -> None:
    """A work task as the operations open it for a team, and close it when done."""
    ctx.writer.row(
        "tasks",
        id=ctx.writer.allocate("tasks"),
        person_id=cast.people.ids[i],
        kind=kind,
        title=title,
        due_on=due_on,
        owner_user_id=None,
        owner_team_id=ctx.reference.team_ids[team],
        status=TaskStatus.DONE if done else TaskStatus.OPEN,
        episode_id=episode_id,
        referral_id=referral_id,
        completed_at=done.at if done else None,
        completed_by_id=done.by if done else None,
        outcome=done.outcome if done else None,
        version=2 if done else 1,
        created_at=created,
    )


def write_episode(
    ctx: CityContext,
    cast: Cast,
    i: int,
    service: str,
    kind: EpisodeKind,
    started: dt.date,
    **extra: Any,
) -> int:
    """An episode row (extra: its optional columns); an episode with a follow-up date
    also gets its day-91 task, done if the outcome was recorded. Returns its id."""
    eid = ctx.writer.allocate("episodes")
    row = {
        "id": eid,
        "person_id": cast.people.ids[i],
        "service_id": ctx.reference.services[service],
        "referral_id": None,
        "kind": kind,
        "started_on": started,
        "ended_on": None,
        "end_reason": None,
        "discharged_on": None,
        "follow_up_due_on": None,
        "day91_outcome": None,
        "day91_outcome_on": None,
        "is_emergency": None,
        "discharge_ready_on": None,
        "admission_condition": None,
        "care_home_type": None,
        "is_permanent": None,
        "moved_from_care_home": None,
        "support_type": None,
        "homelessness_outcome": None,
        "created_by_id": extra.pop("created_by_id", None) or cast.worker(ctx, service, i),
        "version": 1,
        "created_at": utc(started, 9 * 3600 + ctx.rng.randrange(28800)),
    }
    row.update(extra)
    if row["day91_outcome"] is not None and row["day91_outcome_on"] is None:
        # The city records each outcome on its follow-up day, when it can be known.
        row["day91_outcome_on"] = row["follow_up_due_on"]
    if row["ended_on"] is not None and row["end_reason"] is None:
        row["end_reason"] = COMPLETED
    ctx.writer.add_row("episodes", row)
    due = row["follow_up_due_on"]
    if due is not None:
        outcome = row["day91_outcome"]
        write_task(
            ctx,
            cast,
            i,
            TaskKind.DAY91_FOLLOW_UP,
            DAY91_TITLE,
            due,
            cast.team_for(ctx, service, i),
            created=row["created_at"],
            episode_id=eid,
            done=Done(utc(due, 14 * 3600), row["created_by_id"], {"day91_outcome": outcome})
            if outcome
            else None,
        )
    return eid
