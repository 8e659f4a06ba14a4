"""What computing an indicator gives back: the figures of one indicator for one period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from caremap.indicators.definitions import Definition
from caremap.indicators.periods import Period


@dataclass(frozen=True)
class Filters:
    """Narrow the figures to a strand, a service (codes) or an area (ONS code)."""

    strand: str | None = None
    service: str | None = None
    area: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Filters:
        """The filters a query string or body named (absent ones are no filter)."""
        return cls(strand=args.get("strand"), service=args.get("service"), area=args.get("area"))

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}

    def applies_to(self, definition: Definition) -> bool:
        """Every filter given is one the indicator can be narrowed by."""
        return all(name in definition.filters for name in self.as_dict())


@dataclass(frozen=True)
class IndicatorResult:
    definition: Definition
    period: Period
    # None when there is nothing to divide by, or a filter does not apply to the indicator
    value: float | None
    numerator: float | None
    denominator: float | None
    rag: str | None  # green / amber / red, None when not rated
    note: str | None = None  # why there is no value, when there is none
    extra: dict[str, float | None] = field(default_factory=dict)
    # when a stored figure was computed (close-periods); None when computed just now
    computed_at: dt.datetime | None = field(default=None, compare=False)

    @property
    def code(self) -> str:
        return self.definition.code

    def as_dict(self) -> dict:
        d = self.definition
        return {
            "code": d.code,
            "name": d.name,
            "framework": d.framework,
            "unit": d.unit,
            "period": self.period.code,
            "period_label": self.period.label,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rag": self.rag,
            "higher_is_better": d.higher_is_better,
            "comparator": d.comparator.value if d.comparator else None,
            "comparator_label": d.comparator.label if d.comparator else None,
            "baseline": d.baseline.value if d.baseline else None,
            "baseline_label": d.baseline.label if d.baseline else None,
            "note": self.note,
        }
