"""Pages: the admins' review of every break-glass and every merge."""

from __future__ import annotations

import flask

from caremap import audit
from caremap.access import operations, queries
from caremap.access.enums import ReviewOutcome
from caremap.access.forms import BreakGlassReviewForm, ReviewForm
from caremap.access.models import BreakGlass
from caremap.access.schemas import BreakGlassReviewArgs, ReviewArgs
from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer, permission_required
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("access", __name__, template_folder="templates")


@bp.get("/admin/break-glass")
@permission_required(can_administer)
def break_glass_review_list():
    return _review_page(ReviewForm(formdata=None))


def _review_page(review_form: ReviewForm, *, failed_glass_id: int | None = None, **context):
    entries = queries.break_glass_for_review()
    # The review names whose record was opened: a read of each person listed.
    audit.record_reads(_me(), "access.break_glass_review_list", [g.person_id for g in entries])
    return flask.render_template(
        "access/break_glass_review.html",
        entries=entries,
        people=queries.people_named(sorted({g.person_id for g in entries})),
        outcomes=list(ReviewOutcome),
        merges=queries.merges_for_review(),
        review_form=review_form,
        failed_glass_id=failed_glass_id,
        **context,
    )


@bp.post("/admin/break-glass/<int:glass_id>/review")
@permission_required(can_administer)
def review_break_glass(glass_id: int):
    glass = db.session.get(BreakGlass, glass_id) or flask.abort(404)
    form = BreakGlassReviewForm()
    return handle_form_post(
        form,
        BreakGlassReviewArgs(),
        lambda args: operations.review_break_glass(actor=_me(), glass=glass, **args),
        done="Reviewed.",
        redirect_to=lambda _: flask.url_for("access.break_glass_review_list"),
        page=lambda status: (
            _review_page(form, form=form, failed_glass_id=glass_id),
            status,
        ),
    )


@bp.post("/admin/merges/<int:merge_id>/review")
@permission_required(can_administer)
def review_merge(merge_id: int):
    merge = queries.merge_for_review(merge_id)
    if merge is None:
        raise NotFoundError()
    form = ReviewForm()
    return handle_form_post(
        form,
        ReviewArgs(),
        lambda args: operations.review_merge(actor=_me(), merge=merge, note=args["note"]),
        done="Reviewed.",
        redirect_to=lambda _: flask.url_for("access.break_glass_review_list") + "#merges",
        page=lambda status: (_review_page(form, form=form), status),
    )
