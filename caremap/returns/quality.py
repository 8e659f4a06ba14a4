"""The data-quality check before a CLD file is sent: each field's national results
counted over every row, and the rows that fail, so they can be put right at the source.

A coded field's result depends only on the row's values that its rules read, and those
repeat, so its results are memoised on them (a few thousand distinct combinations, not
one list look-up per row and field).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from caremap.returns import rules
from caremap.returns.cld import EventRow

# How many failing rows of one field are kept to list (the counts are always whole).
KEEP_PER_FIELD = 2000


@dataclass(frozen=True)
class Failure:
    person_id: int
    event_reference: str
    event_type: str
    value: str
    result: str


@dataclass
class Quality:
    rows: int = 0
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    failures: dict[str, list[Failure]] = field(default_factory=lambda: defaultdict(list))

    @property
    def failed(self) -> int:
        return sum(c[r] for c in self.counts.values() for r in rules.FAILED)

    @property
    def is_valid(self) -> bool:
        return self.failed == 0

    def table(self) -> list[tuple[rules.Field, list[int]]]:
        """Each field in order with its count of each result (rules.RESULTS order)."""
        return [(f, [self.counts[f.name][r] for r in rules.RESULTS]) for f in rules.fields()]

    def failing_fields(self) -> list[rules.Field]:
        return [f for f in rules.fields() if any(self.counts[f.name][r] for r in rules.FAILED)]


# The fields each rule reads (besides the field itself), so a result can be memoised.
_READS = {
    "all": (),
    "never": (),
    "event": ("Client Type",),
    "service_user": ("Client Type",),
    "carer": ("Client Type",),
    "not_request": ("Event Type",),
    "learning_disability_18_64": (
        "Client Type",
        "Date of Birth",
        "Reporting Period End Date",
        "Primary Support Reason",
    ),
    "funding_status": ("Client Type", "Event Type", "Assessment Type"),
    "end_date": ("Client Type", "Event Type", "Date of Death"),
    "outcome": ("Client Type", "Assessment Type"),
    "request": ("Client Type", "Event Type"),
    "assessment": ("Client Type", "Event Type"),
    "service": ("Client Type", "Event Type"),
    "review": ("Client Type", "Event Type"),
    "assessment_not_financial": ("Client Type", "Event Type", "Assessment Type"),
    "planned_review": ("Client Type", "Event Type", "Review Reason"),
    "costed_service": ("Event Type", "Delivery Mechanism", "Service Type", "Service Component"),
}


def _checkers():
    at = rules.position()
    checkers = []
    for f in rules.fields():
        reads = tuple(
            at[name] for name in dict.fromkeys((f.name, *_READS[f.applies], *_READS[f.mandatory]))
        )
        # coded values repeat: memoise them; identifiers and dates are nearly all distinct
        checkers.append((f, reads, f.format == "list"))
    return checkers


def check(rows: Iterable[EventRow]) -> Quality:
    quality = Quality()
    at = rules.position()
    checkers = _checkers()
    memo: dict[tuple, str | None] = {}
    reference, event_type = at["Event Reference"], at["Event Type"]
    for row in rows:
        quality.rows += 1
        values = row.values
        wrapped = None
        for index, (f, reads, memoised) in enumerate(checkers):
            key = (index, *(values[i] for i in reads)) if memoised else None
            if key is not None and key in memo:
                outcome = memo[key]
            else:
                wrapped = wrapped or rules.Row(values)
                outcome = rules.result(f, wrapped)
                if key is not None:
                    memo[key] = outcome
            if outcome is None:
                continue
            quality.counts[f.name][outcome] += 1
            if outcome in rules.FAILED and len(quality.failures[f.name]) < KEEP_PER_FIELD:
                quality.failures[f.name].append(
                    Failure(
                        person_id=row.person_id,
                        event_reference=values[reference],
                        event_type=values[event_type],
                        value=values[at[f.name]],
                        result=outcome,
                    )
                )
    return quality
