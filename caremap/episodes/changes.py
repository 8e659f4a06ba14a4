"""Ending an episode and recording its day-91 outcome, declared once for the page and the API."""

from __future__ import annotations

from caremap.core.changes import Change, as_given
from caremap.episodes import operations
from caremap.episodes.schemas import Day91Args, EndEpisodeArgs

EPISODE_CHANGES: dict[str, Change] = {
    "end": Change("episodes.end", EndEpisodeArgs, as_given(operations.end_episode, row="episode")),
    "day91": Change(
        "episodes.day91_outcome",
        Day91Args,
        as_given(operations.record_day91_outcome, row="episode"),
    ),
}
