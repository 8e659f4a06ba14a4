"""The key worker flag: who leads this person's care."""

from __future__ import annotations

from caremap.careteam.operations import active_lead
from caremap.flags import Flag, flag_provider


@flag_provider
def key_worker_flag(person) -> list[Flag]:
    lead = active_lead(person.id)
    if lead is None:
        return []
    return [
        Flag(
            "key_worker",
            f"Key worker: {lead.user.full_name}",
            "info",
            lead.started_at.date(),
            lead.user.team.name,
        )
    ]
