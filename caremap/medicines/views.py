"""Pages: a person's medicines and reviews, and the admin's polypharmacy thresholds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import role_required
from caremap.core import clock
from caremap.core.errors import ConflictError, DomainError
from caremap.core.schemas import ArgsSchema
from caremap.medicines import operations, queries
from caremap.medicines.access import load_medicine
from caremap.medicines.forms import MedicationReviewForm, MedicineForm, StopForm, ThresholdForm
from caremap.medicines.schemas import (
    MedicationReviewArgs,
    MedicineArgs,
    StopMedicineArgs,
    ThresholdArgs,
)
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.ui.forms import attach_domain_error, handle_form_post

bp = flask.Blueprint("medicines", __name__, template_folder="templates")


def _page(
    loaded: LoadedPerson,
    *,
    status: int = 200,
    confirm_second_course: bool = False,
    **forms: FlaskForm,
):
    medicines = queries.medicines_of(loaded.person.id)
    today = clock.today()
    current = [m for m in medicines if m.is_active_on(today)]
    review_form = forms.get("review_form") or MedicationReviewForm(formdata=None, reviewed_on=today)
    review_form.stopped.choices = [SelectChoice(m.id, f"{m.name} {m.dose}") for m in current]
    return person_page(
        "medicines/medicines.html",
        loaded,
        status,
        current=current,
        stopped=[m for m in medicines if m not in current],
        reviews=queries.reviews_of(loaded.person.id),
        thresholds=queries.thresholds(),
        medicine_form=forms.get("medicine_form") or MedicineForm(formdata=None, started_on=today),
        review_form=review_form,
        stop_form=StopForm(formdata=None),
        confirm_second_course=confirm_second_course,
        form=next((f for f in forms.values() if f.errors), None),
    )


def _post(
    loaded: LoadedPerson,
    form_name: str,
    form: FlaskForm,
    schema: ArgsSchema,
    operate: Callable[[dict[str, Any]], Any],
    done: str | Callable[[Any], str],
):
    """A form on the person's medicines page: back to that page, done or refused."""
    return handle_form_post(
        form,
        schema,
        operate,
        done=done,
        redirect_to=lambda _: flask.url_for("medicines.medicines", person_id=loaded.person.id),
        page=lambda status: _page(loaded, status=status, **{form_name: form}),
    )


@bp.get("/people/<int:person_id>/medicines")
@login_required
def medicines(person_id: int):
    return _page(load_person(person_id, user=_me(), action="medicines.view"))


@bp.post("/people/<int:person_id>/medicines")
@login_required
def record(person_id: int):
    loaded = load_person(person_id, user=_me(), action="medicines.record")
    form = MedicineForm()

    def already_taken(error: DomainError):
        # The same medicine is taken now: warn (409) and ask for the second course to be
        # confirmed, with what was entered still in the form.
        if not isinstance(error, ConflictError):
            return None
        attach_domain_error(form, error)
        return _page(loaded, status=409, medicine_form=form, confirm_second_course=True)

    return handle_form_post(
        form,
        MedicineArgs(),
        lambda args: operations.record_medicine(actor=_me(), person=loaded.person, details=args),
        done=lambda medicine: f"{medicine.name} is recorded.",
        redirect_to=lambda _: flask.url_for("medicines.medicines", person_id=person_id),
        page=lambda status: _page(
            loaded,
            status=status,
            medicine_form=form,
            confirm_second_course=form.confirm_second_course.data,
        ),
        refused=already_taken,
    )


@bp.post("/medicines/<int:medicine_id>/stop")
@login_required
def stop(medicine_id: int):
    medicine, loaded = load_medicine(medicine_id, user=_me(), action="medicines.stop")
    return _post(
        loaded,
        "stop_form",
        StopForm(),
        StopMedicineArgs(),
        lambda args: operations.stop_medicine(actor=_me(), medicine=medicine, **args),
        f"{medicine.name} is stopped; it stays in the history.",
    )


@bp.post("/people/<int:person_id>/medication-reviews")
@login_required
def review(person_id: int):
    loaded = load_person(person_id, user=_me(), action="medicines.review")
    form = MedicationReviewForm()
    form.stopped.choices = []
    return _post(
        loaded,
        "review_form",
        form,
        MedicationReviewArgs(),
        lambda args: operations.record_review(actor=_me(), person=loaded.person, details=args),
        "The medication review is recorded.",
    )


@bp.route("/admin/polypharmacy", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def thresholds():
    if flask.request.method == "GET":
        row = queries.thresholds()
        form = ThresholdForm(
            formdata=None, flag_at=str(row.flag_at), high_at=str(row.high_at), version=row.version
        )
        return flask.render_template("medicines/thresholds.html", form=form)
    form = ThresholdForm()
    return handle_form_post(
        form,
        ThresholdArgs(),
        lambda args: operations.set_thresholds(actor=_me(), **args),
        done=lambda opened: f"Saved. The recount opened {opened} medication review task(s).",
        redirect_to=lambda _: flask.url_for("medicines.thresholds"),
        page=lambda status: (
            flask.render_template("medicines/thresholds.html", form=form),
            status,
        ),
    )
