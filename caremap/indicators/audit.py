"""The audit rows indicator reads write (exports); drill-downs write theirs in queries.py."""

from __future__ import annotations

from caremap.audit import operations as audit
from caremap.indicators.periods import Period
from caremap.indicators.results import Filters


def record_export(actor, *, format_: str, period: Period, filters: Filters) -> None:
    """Audit an export: its figures leave caremap (to a board, to NHS England), so who
    took which period with which filters must be answerable afterwards."""
    audit.record(
        actor,
        "indicators.export",
        changes={"format": format_, "period": period.code, "filters": filters.as_dict()},
    )
