"""Pages: a person's medicines and reviews, and the admin's polypharmacy thresholds."""

from __future__ import annotations

import datetime as dt

import flask
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import role_required
from caremap.core.errors import DomainError, NotFoundError
from caremap.core.extensions import db
from caremap.flags import flags_for
from caremap.medicines import operations, queries
from caremap.medicines.forms import MedicationReviewForm, MedicineForm, StopForm, ThresholdForm
from caremap.medicines.models import Medicine
from caremap.medicines.schemas import (
    MedicationReviewArgs,
    MedicineArgs,
    StopMedicineArgs,
    ThresholdArgs,
)
from caremap.people.loader import load_person
from caremap.ui.forms import attach_domain_error, validate_form

bp = flask.Blueprint("medicines", __name__, template_folder="templates")


def _page(loaded, *, status: int = 200, **forms):
    medicines = queries.medicines_of(loaded.person.id)
    today = dt.date.today()
    current = [m for m in medicines if m.is_active_on(today)]
    review_form = forms.get("review_form") or MedicationReviewForm(formdata=None, reviewed_on=today)
    review_form.stopped.choices = [SelectChoice(m.id, f"{m.name} {m.dose}") for m in current]
    return flask.render_template(
        "medicines/medicines.html",
        person=loaded.person,
        access=loaded.access,
        glass=loaded.break_glass,
        flags=flags_for(loaded.person),
        current=current,
        stopped=[m for m in medicines if m not in current],
        reviews=queries.reviews_of(loaded.person.id),
        thresholds=queries.thresholds(),
        medicine_form=forms.get("medicine_form") or MedicineForm(formdata=None, started_on=today),
        review_form=review_form,
        stop_form=StopForm(formdata=None),
        form=next((f for f in forms.values() if f.errors), None),
    ), status


@bp.get("/people/<int:person_id>/medicines")
@login_required
def medicines(person_id: int):
    return _page(load_person(person_id, user=_me(), action="medicines.view"))


@bp.post("/people/<int:person_id>/medicines")
@login_required
def record(person_id: int):
    loaded = load_person(person_id, user=_me(), action="medicines.record")
    form = MedicineForm()
    args = validate_form(form, MedicineArgs())
    if args is not None:
        medicine = operations.record_medicine(actor=_me(), person=loaded.person, details=args)
        flask.flash(f"{medicine.name} is recorded.", "success")
        return flask.redirect(flask.url_for("medicines.medicines", person_id=person_id))
    return _page(loaded, status=422, medicine_form=form)


@bp.post("/medicines/<int:medicine_id>/stop")
@login_required
def stop(medicine_id: int):
    medicine = db.session.get(Medicine, medicine_id)
    if medicine is None:
        raise NotFoundError()
    loaded = load_person(medicine.person_id, user=_me(), action="medicines.stop")
    form = StopForm()
    args = validate_form(form, StopMedicineArgs())
    if args is not None:
        try:
            operations.stop_medicine(actor=_me(), medicine=medicine, **args)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(f"{medicine.name} is stopped; it stays in the history.", "success")
            return flask.redirect(
                flask.url_for("medicines.medicines", person_id=medicine.person_id)
            )
    return _page(loaded, status=422, stop_form=form)


@bp.post("/people/<int:person_id>/medication-reviews")
@login_required
def review(person_id: int):
    loaded = load_person(person_id, user=_me(), action="medicines.review")
    form = MedicationReviewForm()
    form.stopped.choices = []
    args = validate_form(form, MedicationReviewArgs())
    if args is not None:
        try:
            operations.record_review(actor=_me(), person=loaded.person, details=args)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash("The medication review is recorded.", "success")
            return flask.redirect(flask.url_for("medicines.medicines", person_id=person_id))
    return _page(loaded, status=422, review_form=form)


@bp.route("/admin/polypharmacy", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def thresholds():
    row = queries.thresholds()
    if flask.request.method == "GET":
        form = ThresholdForm(
            formdata=None, flag_at=str(row.flag_at), high_at=str(row.high_at), version=row.version
        )
        return flask.render_template("medicines/thresholds.html", form=form)
    form = ThresholdForm()
    args = validate_form(form, ThresholdArgs())
    if args is not None:
        try:
            opened = operations.set_thresholds(actor=_me(), **args)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(f"Saved. The recount opened {opened} medication review task(s).", "success")
            return flask.redirect(flask.url_for("medicines.thresholds"))
    return flask.render_template("medicines/thresholds.html", form=form), 422
