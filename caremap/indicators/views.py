"""Indicator pages under /indicators: the dashboard, an indicator, its people, exports,
snapshots for the board, and (admins) the population denominators."""

from __future__ import annotations

import datetime as dt

import flask
import marshmallow as ma
import sqlalchemy as sa

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import role_required
from caremap.core.errors import DomainError, NotFoundError, StaleVersionError
from caremap.core.extensions import db
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
from caremap.ui.forms import attach_domain_error, attach_errors, form_data, validate_form

bp = flask.Blueprint(
    "indicators",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/indicators/static",
)

MANAGERS = (Role.MANAGER, Role.ADMIN)


def _load(form: FiltersForm, schema: ma.Schema) -> dict | None:
    """The query string through the Args schema; errors go beside their fields."""
    data = {k: v for k, v in form_data(form).items() if v not in (None, "")}
    try:
        args = schema.load(data)
    except ma.ValidationError as error:
        attach_errors(form, error.normalized_messages())
        return None
    return args


def _filters(args: dict) -> Filters:
    return Filters(strand=args.get("strand"), service=args.get("service"), area=args.get("area"))


def _query(period: Period, filters: Filters, **extra) -> dict:
    """The query string that keeps a page's period and filters on the next page."""
    return {"period": period.code, **filters.as_dict(), **{k: v for k, v in extra.items() if v}}


def _choices(form: FiltersForm) -> None:
    form.set_choices(queries.period_choices(), queries.filter_choices())


def _tile(result, *, query: dict, trend=None, index: int = 0) -> dict:
    d = result.definition
    return {
        "result": result,
        "definition": d,
        "value": formatting.format_value(result.value, d.unit),
        "numerator": formatting.number(result.numerator),
        "denominator": formatting.number(result.denominator),
        "comparator": formatting.format_comparator(d),
        "rag": result.rag,
        "rag_label": formatting.RAG_LABELS.get(result.rag or ""),
        "rag_class": formatting.RAG_TAG_CLASSES.get(result.rag or ""),
        "href": flask.url_for("indicators.detail", code=d.code, **query),
        "sparkline": charts.sparkline(trend, chart_id=f"spark-{index}") if trend else None,
    }


@bp.get("/indicators")
@role_required(*MANAGERS)
def dashboard():
    form = DashboardForm(flask.request.args)
    _choices(form)
    args = _load(form, IndicatorDashboardArgs())
    if args is None:
        return flask.render_template("indicators/dashboard.html", form=form, tiles=None), 422
    period = args["period"] or queries.default_period()
    filters = _filters(args)
    form.period.data = period.code
    figures = queries.figures(period=period, filters=filters)
    trends: dict[str, list] = {}
    if args["trend"]:
        for each in queries.trend_periods(period, args["trend"]):
            for result in queries.figures(period=each, filters=filters).results:
                trends.setdefault(result.code, []).append(result)
    query = _query(period, filters)
    tiles = [
        _tile(r, query=query, trend=trends.get(r.code), index=i)
        for i, r in enumerate(figures.results)
    ]
    snapshot_form = SnapshotForm(formdata=None, **query)
    recompute_form = RecomputeForm(formdata=None, **query)
    return flask.render_template(
        "indicators/dashboard.html",
        form=form,
        tiles=tiles,
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
    _choices(form)
    args = _load(form, IndicatorDetailArgs())
    if args is None:
        return (
            flask.render_template("indicators/detail.html", form=form, d=found, result=None),
            422,
        )
    period = args["period"] or queries.default_period()
    filters = _filters(args)
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
    try:
        args = IndicatorPeopleArgs().load({k: v for k, v in flask.request.args.items() if v != ""})
    except ma.ValidationError as error:
        return _bad_query(found, error.normalized_messages())
    period = args["period"] or queries.default_period()
    filters = _filters(args)
    result = queries.drill_down(
        viewer=_me(),
        code=code,
        period=period,
        part=args["part"],
        filters=filters,
        page=args["page"],
    )
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
    try:
        args = IndicatorExportArgs().load({k: v for k, v in flask.request.args.items() if v != ""})
    except ma.ValidationError as error:
        return _bad_query(None, error.normalized_messages())
    period = args["period"] or queries.default_period()
    return export_response(
        actor=_me(), period=period, filters=_filters(args), format_=args["format"]
    )


# ---- snapshots -------------------------------------------------------------------


@bp.post("/indicators/snapshots")
@role_required(*MANAGERS)
def take():
    form = SnapshotForm()
    if not form.validate():
        flask.abort(400)
    data = {k: v for k, v in form_data(form).items() if v not in (None, "")}
    try:
        args = SnapshotArgs().load(data)
    except ma.ValidationError as error:
        return _bad_query(None, error.normalized_messages())
    snapshot = take_snapshot(
        actor=_me(), period=args["period"], filters=_filters(args), label=args.get("label")
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
    kept = db.session.get(IndicatorSnapshot, snapshot_id) or flask.abort(404)
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
    estimate = db.session.get(PopulationEstimate, estimate_id) or flask.abort(404)
    if flask.request.method == "GET":
        form = PopulationForm(
            formdata=None,
            population=str(estimate.population),
            source=estimate.source,
            version=estimate.version,
        )
        return flask.render_template("indicators/population.html", form=form, estimate=estimate)
    form = PopulationForm()
    args = validate_form(form, PopulationArgs())
    if args is not None:
        try:
            operations.update_population(actor=_me(), estimate_id=estimate.id, **args)
        except StaleVersionError as error:
            form.version.data = error.current_version
            attach_errors(
                form,
                {
                    "population": [
                        "This figure was changed since you opened it: it is now "
                        f"{estimate.population:,} ({estimate.source}). Check it and save again."
                    ]
                },
            )
            return (
                flask.render_template(
                    "indicators/population.html", form=form, estimate=estimate, stale=True
                ),
                409,
            )
        except NotFoundError:
            flask.abort(404)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(
                f"Saved: {estimate.area.name}, {estimate.year}, ages {_ages(estimate)}.",
                "success",
            )
            return flask.redirect(flask.url_for("indicators.populations"))
    return flask.render_template("indicators/population.html", form=form, estimate=estimate), 422


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
