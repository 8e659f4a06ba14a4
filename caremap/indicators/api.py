"""Indicators under /api/v1/indicators: figures, one indicator with its trend, the people
behind a figure (names only where the caller has a relationship), exports and snapshots.

Managers and admins only; anyone else gets 404, as on the pages.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_view_indicators
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.rows import get_or_404
from caremap.indicators import queries
from caremap.indicators.definitions import definition
from caremap.indicators.downloads import export_response
from caremap.indicators.formatting import present
from caremap.indicators.models import IndicatorSnapshot
from caremap.indicators.results import Filters
from caremap.indicators.schemas import (
    DrillDownSchema,
    IndicatorDetailArgs,
    IndicatorDetailSchema,
    IndicatorExportArgs,
    IndicatorFiguresArgs,
    IndicatorFiguresSchema,
    IndicatorPeopleArgs,
    SnapshotArgs,
    SnapshotListArgs,
    SnapshotQueryArgs,
    SnapshotSchema,
    SnapshotSummarySchema,
)
from caremap.indicators.snapshots import compare_with_snapshot, take_snapshot

blp = ApiBlueprint(
    "indicators-api",
    __name__,
    url_prefix="/api/v1",
    description="System performance indicators",
)


def _require_manager() -> None:
    if not can_view_indicators(_me()):
        raise NotFoundError()


@blp.route("/indicators")
class Figures(MethodView):
    decorators = [login_required]

    @blp.arguments(IndicatorFiguresArgs, location="query")
    @blp.response(200, IndicatorFiguresSchema)
    def get(self, args):
        """Every indicator's figures for a period (default: the last complete financial year).

        The newest snapshot of the period (and filters) when there is one, unless `live`."""
        _require_manager()
        period, filters = queries.period_and_filters(args)
        figures = queries.figures(period=period, filters=filters, live=args["live"])
        return {
            "period": period.code,
            "period_label": period.label,
            "filters": figures.filters.as_dict(),
            "source": figures.source,
            "snapshot_id": figures.snapshot.id if figures.snapshot else None,
            "computed_at": _computed_at(figures),
            "indicators": [present(r) for r in figures.results],
        }


def _computed_at(figures: queries.Figures):
    """When the figures were computed: the snapshot's moment; for stored figures the
    oldest of them (close-periods); for live ones the oldest kept (up to a minute)."""
    if figures.snapshot is not None:
        return figures.snapshot.computed_at
    times = [t for t in (figures.stored_at, figures.live_at) if t is not None]
    return min(times) if times else None


@blp.route("/indicators/export")
class Export(MethodView):
    decorators = [login_required]

    @blp.arguments(IndicatorExportArgs, location="query")
    @blp.doc(
        responses={
            "200": {
                "description": "The figures as CSV, an Excel workbook, JSON, or a FHIR R4 "
                "Bundle of MeasureReports; one audit row per export."
            }
        }
    )
    def get(self, args):
        """The period's figures, computed now, as a file."""
        _require_manager()
        period, filters = queries.period_and_filters(args)
        return export_response(actor=_me(), period=period, filters=filters, format_=args["format"])


@blp.route("/indicators/snapshots")
class Snapshots(MethodView):
    decorators = [login_required]

    @blp.arguments(SnapshotListArgs, location="query")
    @blp.response(200, SnapshotSummarySchema(many=True))
    def get(self, args):
        """Snapshots taken, newest first (of one period, when given)."""
        _require_manager()
        return [_summary(s) for s in queries.snapshot_list(args["period"])]

    @blp.arguments(SnapshotArgs)
    @blp.response(201, SnapshotSchema)
    def post(self, args):
        """Compute a period's figures now and keep them, with the people behind each."""
        _require_manager()
        snapshot = take_snapshot(
            actor=_me(),
            period=args["period"],
            filters=Filters.from_args(args),
            label=args.get("label"),
        )
        return _snapshot(snapshot)


@blp.route("/indicators/snapshots/<int:snapshot_id>")
class SnapshotItem(MethodView):
    decorators = [login_required]

    @blp.arguments(SnapshotQueryArgs, location="query")
    @blp.response(200, SnapshotSchema)
    def get(self, args, snapshot_id):
        """A snapshot's frozen figures; with `changes=1`, what differs now and who moved it."""
        _require_manager()
        kept = get_or_404(IndicatorSnapshot, snapshot_id)
        out = _snapshot(kept)
        if args["changes"]:
            out["changes"] = queries.named_changes(_me(), compare_with_snapshot(kept))
        return out


@blp.route("/indicators/<code>")
class Indicator(MethodView):
    decorators = [login_required]

    @blp.arguments(IndicatorDetailArgs, location="query")
    @blp.response(200, IndicatorDetailSchema)
    def get(self, args, code):
        """One indicator: its definition, its figures for the period and its trend
        (`trend=month`: the last 12 months; `quarter`: the last 8 quarters)."""
        _require_manager()
        found = definition(code)
        if found is None:
            raise NotFoundError()
        period, filters = queries.period_and_filters(args)
        result = queries.one_figure(code=code, period=period, filters=filters)
        trend = queries.trend(code=code, period=period, kind=args["trend"], filters=filters)
        return {
            "definition": found,  # dumped by IndicatorDefinitionSchema
            "indicator": present(result),
            "trend": [present(r) for r in trend],
        }


@blp.route("/indicators/<code>/people")
class People(MethodView):
    decorators = [login_required]

    @blp.arguments(IndicatorPeopleArgs, location="query")
    @blp.response(200, DrillDownSchema)
    def get(self, args, code):
        """The people behind a figure: named where you have a relationship with them (as on
        their record), counted otherwise. Audited."""
        _require_manager()
        if definition(code) is None:
            raise NotFoundError()
        period, _, drill = queries.people_behind(_me(), code=code, args=args)
        return {
            "code": code,
            "period": period.code,
            "part": drill.part,
            "total": drill.total,
            "related_total": drill.related_total,
            "others": drill.others,
            "page": drill.page,
            "pages": drill.pages,
            "people": [{"id": p.id, "name": p.display_name} for p in drill.shown],
        }


def _summary(s: IndicatorSnapshot) -> dict:
    return {
        "id": s.id,
        "period": s.reporting_period.code,
        "filters": s.filters or {},
        "label": s.label,
        "computed_at": s.computed_at,
        "computed_by": s.computed_by.full_name if s.computed_by else None,
    }


def _snapshot(s: IndicatorSnapshot) -> dict:
    return {
        **_summary(s),
        "period_start": s.period_start,
        "period_end": s.period_end,
        "indicators": [present(r) for r in queries.results_of_snapshot(s)],
    }
