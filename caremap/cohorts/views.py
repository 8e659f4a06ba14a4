"""The needs assessment page of a person."""

from __future__ import annotations

import flask
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.cohorts import operations, queries
from caremap.cohorts.forms import NeedsAssessmentForm
from caremap.cohorts.schemas import NeedsAssessmentArgs
from caremap.core import clock
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("cohorts", __name__, template_folder="templates")


def _page(loaded: LoadedPerson, form: NeedsAssessmentForm, status: int = 200):
    return person_page(
        "cohorts/needs.html",
        loaded,
        status,
        assessments=queries.assessments_of(loaded.person.id),
        form=form,
    )


@bp.route("/people/<int:person_id>/needs", methods=["GET", "POST"])
@login_required
def needs(person_id: int):
    me = _me()
    loaded = load_person(
        person_id,
        user=me,
        action="cohorts.assess" if flask.request.method == "POST" else "cohorts.view",
    )
    if flask.request.method == "GET":
        return _page(loaded, NeedsAssessmentForm(formdata=None, assessed_on=clock.today()))
    form = NeedsAssessmentForm()
    return handle_form_post(
        form,
        NeedsAssessmentArgs(),
        lambda args: operations.record_assessment(actor=me, person=loaded.person, details=args),
        done=lambda assessment: (
            f"Assessment recorded: {assessment.cohort or 'no multiple-needs cohort'}."
        ),
        redirect_to=lambda _: flask.url_for("cohorts.needs", person_id=person_id),
        page=lambda status: _page(loaded, form, status),
    )
