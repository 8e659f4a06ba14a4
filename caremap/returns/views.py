"""Pages for the statutory returns under /returns: choose a period, check the CLD rows
against the national rules before making the file, see the records to fix, and make
the SAC tables with the enquiries behind each cell.

CLD is a manager's (auth.permissions.can_view_indicators); SAC also a safeguarding
lead's (can_read_safeguarding_figures). Anyone else gets 404, as for every page they may
not know is there. Names of people are shown only where the viewer may open their record
(access.policy.related_person_ids) or, for an enquiry, see its detail
(safeguarding.permissions.can_see_detail); everyone else is a count.
"""

from __future__ import annotations

import tempfile

import flask
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from caremap.access.policy import related_person_ids
from caremap.audit import operations as audit
from caremap.auth.current import actor as _me
from caremap.auth.permissions import (
    can_read_safeguarding_figures,
    can_view_indicators,
    permission_required,
)
from caremap.core import clock
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.indicators.periods import last_complete
from caremap.people.models import Person
from caremap.returns import operations, rules, sac
from caremap.returns.periods import Window, financial_year, quarter
from caremap.safeguarding.models import Concern, Enquiry
from caremap.safeguarding.permissions import can_see_detail

bp = flask.Blueprint("returns", __name__, template_folder="templates")

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PAGE_SIZE = 100
LABELS = {"quarter": "Quarter", "year": "Financial year", "format": "Format", "field": "Field"}


def _defaults() -> dict[str, str]:
    today = clock.today()
    return {
        "quarter": last_complete("quarter", today=today).code,
        "year": last_complete("year", today=today).code,
    }


def _refused(error: DomainError, **given: str):
    """The returns page again, the error beside the field that caused it (422)."""
    return (
        flask.render_template(
            "returns/index.html",
            given={**_defaults(), **given},
            errors={error.field: error.message},
            labels=LABELS,
            can_cld=can_view_indicators(_me()),
        ),
        422,
    )


@bp.get("/returns")
@permission_required(lambda user: can_view_indicators(user) or can_read_safeguarding_figures(user))
def index():
    return flask.render_template(
        "returns/index.html",
        given=_defaults(),
        errors={},
        labels=LABELS,
        can_cld=can_view_indicators(_me()),
    )


@bp.get("/returns/cld")
@permission_required(can_view_indicators)
def cld_check():
    code = flask.request.args.get("quarter", "")
    try:
        period = quarter(code)
    except DomainError as error:
        return _refused(error, quarter=code)
    result = operations.check_cld(actor=_me(), quarter=period)
    return flask.render_template(
        "returns/cld.html",
        period=period,
        window=Window.ending_with(period),
        quality=result,
        results=rules.RESULTS,
        failed=rules.FAILED,
    )


@bp.get("/returns/cld/fix")
@permission_required(can_view_indicators)
def cld_fix():
    """The rows failing one field: linked to the record where the viewer may open it."""
    code = flask.request.args.get("quarter", "")
    name = flask.request.args.get("field", "")
    try:
        period = quarter(code)
        if name not in rules.position():
            raise DomainError("is not a field of the CLD specification", field="field")
    except DomainError as error:
        return _refused(error, quarter=code)
    result = operations.check_cld(actor=_me(), quarter=period)
    failures = result.failures.get(name, [])
    total = sum(result.counts[name][r] for r in rules.FAILED)
    related = related_person_ids(_me(), [f.person_id for f in failures])
    page = max(1, flask.request.args.get("page", 1, type=int) or 1)
    visible = [f for f in failures if f.person_id in related]
    shown = visible[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    people = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Person).where(Person.id.in_({f.person_id for f in shown}))
        )
    }
    audit.record_reads(_me(), "returns.cld.records_to_fix", [f.person_id for f in shown])
    return flask.render_template(
        "returns/cld_fix.html",
        period=period,
        field=next(f for f in rules.fields() if f.name == name),
        total=total,
        kept=len(failures),
        shown=shown,
        people=people,
        others=len(failures) - len(visible),
        page=page,
        pages=max(1, -(-len(visible) // PAGE_SIZE)),
    )


@bp.get("/returns/cld/file")
@permission_required(can_view_indicators)
def cld_file():
    code = flask.request.args.get("quarter", "")
    try:
        period = quarter(code)
    except DomainError as error:
        return _refused(error, quarter=code)
    # spooled to disk: a city's file is hundreds of megabytes; send_file closes it
    out = tempfile.TemporaryFile("w+b")  # noqa: SIM115
    text = _TextOnto(out)
    operations.produce_cld(actor=_me(), quarter=period, out=text)
    out.seek(0)
    return flask.send_file(
        out,
        mimetype=FORMATS["csv"],
        as_attachment=True,
        download_name=f"cld-{rules.specification()['council']['la_code']}-{period.code}.csv",
    )


class _TextOnto:
    """Text written as UTF-8 onto a binary file."""

    def __init__(self, out) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text.encode("utf-8"))
        return len(text)


@bp.get("/returns/sac")
@permission_required(can_read_safeguarding_figures)
def sac_tables():
    code = flask.request.args.get("year", "")
    try:
        period = financial_year(code)
    except DomainError as error:
        return _refused(error, year=code)
    result = operations.produce_sac(actor=_me(), year=period)
    return flask.render_template(
        "returns/sac.html", period=period, sac=result, problems=sac.checks(result)
    )


@bp.get("/returns/sac/file")
@permission_required(can_read_safeguarding_figures)
def sac_file():
    code = flask.request.args.get("year", "")
    format_ = flask.request.args.get("format", "xlsx")
    try:
        period = financial_year(code)
        if format_ not in FORMATS:
            raise DomainError("must be xlsx or csv", field="format")
    except DomainError as error:
        return _refused(error, year=code)
    result = operations.produce_sac(actor=_me(), year=period, format_=format_)
    response = flask.Response(operations.sac_file(result, format_), mimetype=FORMATS[format_])
    response.headers["Content-Disposition"] = f'attachment; filename="sac-{period.code}.{format_}"'
    return response


@bp.get("/returns/sac/<table>/<row>/<column>")
@permission_required(can_read_safeguarding_figures)
def sac_cell(table: str, row: str, column: str):
    """The concerns or enquiries behind one cell: each linked where the viewer may see
    its detail, counted otherwise."""
    code = flask.request.args.get("year", "")
    try:
        period = financial_year(code)
    except DomainError as error:
        return _refused(error, year=code)
    result = operations.produce_sac(actor=_me(), year=period)
    found = result.tables.get(table)
    rows, columns = dict(found.rows) if found else {}, dict(found.columns) if found else {}
    if row not in rows or column not in columns:
        flask.abort(404)
    behind = found.behind.get((row, column), set())
    concern_ids = {key for kind, key in behind if kind == "concern"}
    enquiry_ids = {key for kind, key in behind if kind == "enquiry"}
    concerns = list(
        db.session.scalars(
            sa.select(Concern)
            .options(selectinload(Concern.enquiry), selectinload(Concern.person))
            .where(
                sa.or_(
                    Concern.id.in_(concern_ids),
                    Concern.id.in_(
                        sa.select(Enquiry.concern_id).where(Enquiry.id.in_(enquiry_ids))
                    ),
                )
            )
            .order_by(Concern.raised_on, Concern.id)
        )
    )
    me = _me()
    visible = [c for c in concerns if can_see_detail(me, c)]
    audit.record_reads(me, "returns.sac.cell", [c.person_id for c in visible])
    return flask.render_template(
        "returns/sac_cell.html",
        period=period,
        table=found,
        row_label=rows[row].strip(),
        column_label=columns[column],
        count=result.count(table, row, column),
        cases=len(behind),
        visible=visible,
        others=len(concerns) - len(visible),
    )
