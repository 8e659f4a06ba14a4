"""Indicator pages under /indicators: the dashboard, an indicator, its people, exports,
snapshots for the board, and (admins) the population denominators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import flask
import marshmallow as ma
import sqlalchemy as sa

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import MANAGERS, role_required
from caremap.catalogue.models import Strand
from caremap.core.errors import DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.indicators import charts, exports, formatting, operations, queries
from caremap.indicators.definitions import definition
from caremap.indicators.downloads import export_response
from caremap.indicators.forms import (
    DashboardForm,
    DetailForm,
    FiltersForm,
    PopulationForm,
    RecomputeForm,
    SnapshotForm,
)
from caremap.indicators.models import Area, IndicatorSnapshot, PopulationEstimate
from caremap.indicators.periods import Period
from caremap.indicators.results import Filters
from caremap.indicators.schemas import (
    IndicatorDashboardArgs,
    IndicatorDetailArgs,
    IndicatorExportArgs,
    IndicatorPeopleArgs,
    PopulationArgs,
    SnapshotArgs,
)
from caremap.indicators.snapshots import compare_with_snapshot, take_snapshot
from caremap.ui.forms import attach_errors, form_data, handle_form_post

bp = flask.Blueprint(
    "indicators",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/indicators/static",
)


def _given(data) -> dict:
    """What a query string or form gave: a blank is no value (the schema's default)."""
    return {k: v for k, v in data.items() if v not in (None, "")}


def _load(form: FiltersForm, schema: ma.Schema) -> dict | None:
    """The query string through the Args schema; errors go beside their fields."""
    _choices(form)
    try:
        return schema.load(_given(form_data(form)))
    except ma.ValidationError as error:
        attach_errors(form, error.normalized_messages())
        return None


def _load_or_refuse(schema: ma.Schema, data, found=None) -> tuple[dict | None, Any]:
    """A query with no form of its own: its Args, or the page naming what was wrong (422)."""
    try:
        return schema.load(_given(data)), None
    except ma.ValidationError as error:
        return None, _bad_query(found, error.normalized_messages())


def _query(period: Period, filters: Filters, **extra) -> dict:
    """The query string that keeps a page's period and filters on the next page."""
    return {"period": period.code, **filters.as_dict(), **{k: v for k, v in extra.items() if v}}


def _choices(form: FiltersForm) -> None:
    form.set_choices(queries.period_choices(), queries.filter_choices())


def _min_people() -> int:
    return int(flask.current_app.config.get("INDICATOR_MIN_PEOPLE", formatting.MIN_PEOPLE))


def _tile(result, *, query: dict, trend=None, index: int = 0) -> dict:
    """A figure as a tile: never a RAG status from too few people to rate, and every
    percentage with its 95% confidence interval (Wilson score)."""
    d = result.definition
    minimum = _min_people()
    too_few = formatting.too_few_to_rate(result, minimum)
    rag = None if too_few else result.rag
    return {
        "result": result,
        "definition": d,
        "value": formatting.format_value(result.value, d.unit),
        "numerator": formatting.number(result.numerator),
        "denominator": formatting.number(result.denominator),
        "comparator": formatting.format_comparator(d),
        "interval": formatting.interval_text(result),
        "too_few": too_few,
        "minimum": minimum,
        "rag": rag,
        "rag_label": formatting.RAG_LABELS.get(rag or ""),
        "rag_class": formatting.RAG_TAG_CLASSES.get(rag or ""),
        "href": flask.url_for("indicators.detail", code=d.code, **query),
        "sparkline": charts.sparkline(trend, chart_id=f"spark-{index}") if trend else None,
    }


@bp.get("/indicators")
@role_required(*MANAGERS)
def dashboard():
    form = DashboardForm(flask.request.args)
    args = _load(form, IndicatorDashboardArgs())
    if args is None:
        return flask.render_template("indicators/dashboard.html", form=form, tiles=None), 422
    period, filters = queries.period_and_filters(args)
    form.period.data = period.code
    figures = queries.figures(period=period, filters=filters)
    trends: dict[str, list] = {}
    if args["trend"]:  # closed periods' stored figures in one query, the open one live
        trends = queries.trends(period=period, kind=args["trend"], filters=filters)
    query = _query(period, filters)
    tiles = [
        _tile(r, query=query, trend=trends.get(r.code), index=i)
        for i, r in enumerate(figures.results)
    ]
    # Grouped by strand, in the catalogue's order, with what is red said first.
    strands = dict(
        db.session.execute(sa.select(Strand.code, Strand.name).order_by(Strand.name)).all()
    )
    groups: dict[str, list[dict]] = {}
    for tile in tiles:
        groups.setdefault(tile["definition"].strand, []).append(tile)
    grouped = [
        (strands.get(code, code.replace("_", " ").capitalize()), items)
        for code, items in sorted(groups.items(), key=lambda g: strands.get(g[0], g[0]))
    ]
    snapshot_form = SnapshotForm(formdata=None, **query)
    recompute_form = RecomputeForm(formdata=None, **query)
    return flask.render_template(
        "indicators/dashboard.html",
        form=form,
        tiles=tiles,
        grouped=grouped,
        red=[t for t in tiles if t["rag"] == "red"],
        demo_data=queries.holds_a_synthetic_city(),
        figures=figures,
        period=period,
        filters=filters,
        query=query,
        snapshot_form=snapshot_form,
        recompute_form=recompute_form,
        formats=exports.EXTENSIONS,
    )


@bp.get("/indicators/<code>")
@role_required(*MANAGERS)
def detail(code: str):
    found = definition(code) or flask.abort(404)
    form = DetailForm(flask.request.args)
    args = _load(form, IndicatorDetailArgs())
    if args is None:
        return flask.render_template("indicators/detail.html", form=form, d=found, result=None), 422
    period, filters = queries.period_and_filters(args)
    form.period.data = period.code
    form.trend.data = args["trend"]
    trend = queries.trend(code=code, period=period, kind=args["trend"], filters=filters)
    result = queries.one_figure(code=code, period=period, filters=filters)
    query = _query(period, filters)
    return flask.render_template(
        "indicators/detail.html",
        form=form,
        d=found,
        result=result,
        tile=_tile(result, query=query),
        trend=trend,
        trend_rows=[
            {
                "period": r.period.label,
                "value": formatting.format_value(r.value, found.unit),
                "numerator": formatting.number(r.numerator),
                "denominator": formatting.number(r.denominator),
                "rag": formatting.RAG_LABELS.get(r.rag or "", "Not rated"),
            }
            for r in trend
        ],
        chart=charts.trend_chart(
            trend,
            chart_id="trend",
            comparator=found.comparator.value if found.comparator else None,
        ),
        comparator=formatting.format_comparator(found),
        baseline=formatting.format_baseline(found),
        direction=formatting.direction(found),
        unit_label=formatting.UNIT_LABELS[found.unit],
        period=period,
        filters=filters,
        query=query,
        has_people=found.unit not in ("count", "rate_per_100000"),
    )


@bp.get("/indicators/<code>/people")
@role_required(*MANAGERS)
def people(code: str):
    found = definition(code) or flask.abort(404)
    args, refused = _load_or_refuse(IndicatorPeopleArgs(), flask.request.args, found)
    if refused:
        return refused
    period, filters, result = queries.people_behind(_me(), code=code, args=args)
    query = _query(period, filters)
    return flask.render_template(
        "indicators/people.html",
        d=found,
        drill=result,
        period=period,
        filters=filters,
        query=query,
        number=formatting.number,
    )


def _bad_query(found, messages: dict):
    errors = [
        {"text": f"{field}: {msgs[0] if isinstance(msgs, list) else msgs}", "href": "#main-content"}
        for field, msgs in messages.items()
    ]
    return (
        flask.render_template("indicators/bad_query.html", d=found, errors=errors),
        422,
    )


@bp.get("/indicators/export")
@role_required(*MANAGERS)
def export():
    args, refused = _load_or_refuse(IndicatorExportArgs(), flask.request.args)
    if refused:
        return refused
    period, filters = queries.period_and_filters(args)
    return export_response(actor=_me(), period=period, filters=filters, format_=args["format"])


# ---- snapshots -------------------------------------------------------------------


@bp.post("/indicators/snapshots")
@role_required(*MANAGERS)
def take():
    form = SnapshotForm()
    if not form.validate():
        flask.abort(400)
    args, refused = _load_or_refuse(SnapshotArgs(), form_data(form))
    if refused:
        return refused
    snapshot = take_snapshot(
        actor=_me(), period=args["period"], filters=Filters.from_args(args), label=args.get("label")
    )
    flask.flash(
        f"Snapshot taken: the figures of {args['period'].label} are kept as they are now.",
        "success",
    )
    return flask.redirect(flask.url_for("indicators.snapshot", snapshot_id=snapshot.id))


@bp.get("/indicators/snapshots")
@role_required(*MANAGERS)
def snapshots():
    return flask.render_template("indicators/snapshots.html", snapshots=queries.snapshot_list())


@bp.get("/indicators/snapshots/<int:snapshot_id>")
@role_required(*MANAGERS)
def snapshot(snapshot_id: int):
    kept = get_or_404(IndicatorSnapshot, snapshot_id)
    results = queries.results_of_snapshot(kept)
    changes = None
    if flask.request.args.get("changes") in ("1", "true", "yes"):
        changes = queries.named_changes(_me(), compare_with_snapshot(kept))
    return flask.render_template(
        "indicators/snapshot.html",
        snapshot=kept,
        period=queries.parse_period(kept.period),
        rows=[_tile(r, query=_query(r.period, Filters(**(kept.filters or {})))) for r in results],
        changes=changes,
    )


# ---- population denominators (admins) ---------------------------------------------


@bp.get("/indicators/populations")
@role_required(Role.ADMIN)
def populations():
    rows = db.session.scalars(
        sa.select(PopulationEstimate)
        .join(Area)
        .order_by(Area.name, PopulationEstimate.year.desc(), PopulationEstimate.age_from)
    ).all()
    return flask.render_template("indicators/populations.html", rows=rows)


@bp.route("/indicators/populations/<int:estimate_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_population(estimate_id: int):
    estimate = get_or_404(PopulationEstimate, estimate_id)
    if flask.request.method == "GET":
        form = PopulationForm(
            formdata=None,
            population=str(estimate.population),
            source=estimate.source,
            version=estimate.version,
        )
        return flask.render_template("indicators/population.html", form=form, estimate=estimate)
    form = PopulationForm()
    stale = False

    def update(args: dict[str, Any]) -> PopulationEstimate:
        nonlocal stale
        try:
            return operations.update_population(actor=_me(), estimate_id=estimate.id, **args)
        except StaleVersionError as error:
            # Show the figure saved since, and take the next save as made against it.
            stale = True
            form.version.data = error.current_version
            raise DomainError(
                "This figure was changed since you opened it: it is now "
                f"{estimate.population:,} ({estimate.source}). Check it and save again.",
                field="population",
            ) from None

    def page(status: int):
        html = flask.render_template(
            "indicators/population.html", form=form, estimate=estimate, stale=stale
        )
        return html, 409 if stale else status

    return handle_form_post(
        form,
        PopulationArgs(),
        update,
        done=lambda _: f"Saved: {estimate.area.name}, {estimate.year}, ages {_ages(estimate)}.",
        redirect_to=lambda _: flask.url_for("indicators.populations"),
        page=page,
    )


def _ages(estimate: PopulationEstimate) -> str:
    if estimate.age_to is None:
        return f"{estimate.age_from} and over"
    return f"{estimate.age_from} to {estimate.age_to}"


@bp.app_template_filter("age_band")
def age_band(estimate: PopulationEstimate) -> str:
    return _ages(estimate)


@bp.app_template_global("uk_datetime_or_blank")
def uk_datetime_or_blank(value: dt.datetime | None) -> str:
    return flask.current_app.jinja_env.filters["uk_datetime"](value) if value else ""
