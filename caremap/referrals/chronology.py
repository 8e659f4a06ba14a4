"""Referrals, routing decisions, status changes and episodes in the person's chronology."""

from __future__ import annotations

import datetime as dt

from caremap.core.db import utcnow
from caremap.people.chronology import ChronologyEntry, chronology_provider
from caremap.referrals.queries import person_episodes, person_referrals


@chronology_provider
def referral_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    entries = []
    for referral in person_referrals(person_ids):
        strand = referral.service.strand.code
        service = referral.service.name
        for change in referral.status_changes:
            if change.from_status is None:
                title = (
                    f"Referral {referral.reference} received for {service} "
                    f"({referral.urgency.value})"
                )
                detail = f"From {referral.referrer_name}; needs: {', '.join(referral.need_codes)}"
            else:
                title = f"Referral {referral.reference} to {service}: {change.to_status.value}"
                detail = change.reason
            entries.append(
                ChronologyEntry(
                    change.at, "referral", title, detail, change.actor.full_name, strand
                )
            )
    return entries


@chronology_provider
def episode_entries(person_ids: list[int]) -> list[ChronologyEntry]:
    entries = []
    for episode in person_episodes(person_ids):
        strand = episode.service.strand.code
        started = _at(episode.started_on)
        entries.append(
            ChronologyEntry(
                started,
                "episode",
                f"{episode.service.name}: {episode.kind.label.lower()} episode started",
                None,
                None,
                strand,
            )
        )
        if episode.ended_on:
            entries.append(
                ChronologyEntry(
                    _at(episode.ended_on),
                    "episode",
                    f"{episode.service.name}: episode ended",
                    episode.end_reason,
                    None,
                    strand,
                )
            )
    return entries


def _at(day: dt.date) -> dt.datetime:
    # Episodes are dated, not timed: place them at noon UTC of their day.
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    return min(moment, utcnow())
