"""An export as a download: computed now, written by exports.py, audited once."""

from __future__ import annotations

import flask

from caremap.indicators import exports
from caremap.indicators.audit import record_export
from caremap.indicators.compute import compute_indicators
from caremap.indicators.periods import Period
from caremap.indicators.results import Filters
from caremap.indicators.title import About


def export_response(*, actor, period: Period, filters: Filters, format_: str) -> flask.Response:
    """Compute live (an export is always today's figures), write, audit, send as a download."""
    results = compute_indicators(period=period, filters=filters)
    body = exports.render(format_, results, About.of(actor, filters))
    record_export(actor, format_=format_, period=period, filters=filters)
    name = "-".join(["caremap-indicators", period.code, *filters.as_dict().values()])
    response = flask.Response(body, content_type=exports.CONTENT_TYPES[format_])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{name}.{exports.EXTENSIONS[format_]}"'
    )
    return response
