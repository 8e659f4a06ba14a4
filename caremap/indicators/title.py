"""The title block of an export a person reads: which indicators, which period, which
filters, when it was produced and by whom (issue 18: a board's file says what it is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from caremap.core import clock
from caremap.indicators.results import Filters, IndicatorResult

FILTER_LABELS = {"area": "area", "service": "service", "strand": "strand"}
# Title, indicator set, period, filters, produced, produced by: a fixed count, so the
# table's header row is always in the same place for anyone reading the sheet by position.
TITLE_LABELS = (
    "caremap indicators",
    "Indicator set",
    "Period",
    "Filters",
    "Produced",
    "Produced by",
)
TITLE_ROWS = len(TITLE_LABELS)


@dataclass(frozen=True)
class About:
    filters: Filters
    produced_at: dt.datetime
    produced_by: str

    @classmethod
    def unknown(cls) -> About:
        """For a workbook written without a caller (tests, a library use): said as such."""
        return cls(filters=Filters(), produced_at=clock.now(), produced_by="not recorded")

    @classmethod
    def of(cls, actor, filters: Filters) -> About:
        """Now, by this user; None as the actor is the command line."""
        who = actor.full_name if actor is not None else "the command line (caremap indicators)"
        return cls(filters=filters, produced_at=clock.now(), produced_by=who)

    def lines(self, results: Sequence[IndicatorResult]) -> list[tuple[str, str]]:
        frameworks = sorted({result.definition.framework for result in results})
        period = results[0].period.label if results else "no indicators"
        chosen = self.filters.as_dict()
        filters = "; ".join(f"{FILTER_LABELS.get(k, k)} {v}" for k, v in chosen.items())
        local = self.produced_at.astimezone(clock.zone())
        texts = (
            f"{len(results)} indicators",
            ", ".join(frameworks) or "none",
            period,
            filters or "none: everyone",
            local.strftime("%-d %B %Y at %H:%M %Z"),
            self.produced_by,
        )
        return list(zip(TITLE_LABELS, texts, strict=True))
