"""Pages: the admins' review of every break-glass."""

from __future__ import annotations

import flask

from caremap.access import operations, queries
from caremap.access.forms import ReviewForm
from caremap.access.models import BreakGlass
from caremap.access.schemas import ReviewArgs
from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import role_required
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.ui.forms import attach_domain_error, validate_form

bp = flask.Blueprint("access", __name__, template_folder="templates")


@bp.get("/admin/break-glass")
@role_required(Role.ADMIN)
def break_glass_review_list():
    return flask.render_template(
        "access/break_glass_review.html",
        entries=queries.break_glass_for_review(),
        review_form=ReviewForm(formdata=None),
    )


@bp.post("/admin/break-glass/<int:glass_id>/review")
@role_required(Role.ADMIN)
def review_break_glass(glass_id: int):
    glass = db.session.get(BreakGlass, glass_id) or flask.abort(404)
    form = ReviewForm()
    args = validate_form(form, ReviewArgs())
    if args is not None:
        try:
            operations.review_break_glass(actor=_me(), glass=glass, note=args["note"])
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash("Reviewed.", "success")
            return flask.redirect(flask.url_for("access.break_glass_review_list"))
    return flask.render_template(
        "access/break_glass_review.html",
        entries=queries.break_glass_for_review(),
        review_form=form,
        form=form,
    ), 422
