"""The needs assessment page of a person."""

from __future__ import annotations

import datetime as dt

import flask
from flask_login import current_user, login_required

from caremap.cohorts import operations, queries
from caremap.cohorts.forms import NeedsAssessmentForm
from caremap.cohorts.schemas import NeedsAssessmentArgs
from caremap.flags import flags_for
from caremap.people.loader import load_person
from caremap.ui.forms import validate_form

bp = flask.Blueprint("cohorts", __name__, template_folder="templates")


def _page(loaded, form, status: int = 200):
    return flask.render_template(
        "cohorts/needs.html",
        person=loaded.person,
        access=loaded.access,
        glass=loaded.break_glass,
        flags=flags_for(loaded.person),
        assessments=queries.assessments_of(loaded.person.id),
        form=form,
    ), status


@bp.route("/people/<int:person_id>/needs", methods=["GET", "POST"])
@login_required
def needs(person_id: int):
    me = current_user._get_current_object()
    loaded = load_person(
        person_id,
        user=me,
        action="cohorts.assess" if flask.request.method == "POST" else "cohorts.view",
    )
    if flask.request.method == "GET":
        return _page(loaded, NeedsAssessmentForm(formdata=None, assessed_on=dt.date.today()))
    form = NeedsAssessmentForm()
    args = validate_form(form, NeedsAssessmentArgs())
    if args is None:
        return _page(loaded, form, 422)
    assessment = operations.record_assessment(actor=me, person=loaded.person, details=args)
    flask.flash(
        f"Assessment recorded: {assessment.cohort or 'no multiple-needs cohort'}.", "success"
    )
    return flask.redirect(flask.url_for("cohorts.needs", person_id=person_id))
