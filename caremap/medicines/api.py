"""Medicines, medication reviews and the polypharmacy thresholds under /api/v1."""

from __future__ import annotations

import flask
from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.medicines import operations, queries
from caremap.medicines.models import Medicine
from caremap.medicines.schemas import (
    CountArgs,
    CountSchema,
    MedicationReviewArgs,
    MedicationReviewSchema,
    MedicineArgs,
    MedicineSchema,
    StopMedicineArgs,
    ThresholdArgs,
    ThresholdSchema,
)
from caremap.people.loader import load_person

blp = ApiBlueprint(
    "medicines-api", __name__, url_prefix="/api/v1", description="Medicines and polypharmacy"
)


@blp.route("/people/<int:person_id>/medicines")
class Medicines(MethodView):
    decorators = [login_required]

    @blp.response(200, MedicineSchema(many=True))
    def get(self, person_id):
        """Current medicines first, then stopped ones (kept as history)."""
        person = load_person(person_id, user=_me(), action="medicines.view").person
        return queries.medicines_of(person.id)

    @blp.arguments(MedicineArgs)
    @blp.response(201, MedicineSchema)
    def post(self, args, person_id):
        """Record a medicine; reaching the threshold opens a medication review task."""
        person = load_person(person_id, user=_me(), action="medicines.record").person
        return operations.record_medicine(actor=_me(), person=person, details=args)


@blp.route("/medicines/<int:medicine_id>/stop")
class Stop(MethodView):
    decorators = [login_required]

    @blp.arguments(StopMedicineArgs)
    @blp.response(200, MedicineSchema)
    def post(self, args, medicine_id):
        medicine = db.session.get(Medicine, medicine_id)
        if medicine is None:
            raise NotFoundError()
        load_person(medicine.person_id, user=_me(), action="medicines.stop")
        return operations.stop_medicine(actor=_me(), medicine=medicine, **args)


@blp.route("/people/<int:person_id>/medication-reviews")
class Reviews(MethodView):
    decorators = [login_required]

    @blp.response(200, MedicationReviewSchema(many=True))
    def get(self, person_id):
        person = load_person(person_id, user=_me(), action="medicines.view_reviews").person
        return queries.reviews_of(person.id)

    @blp.arguments(MedicationReviewArgs)
    @blp.response(201, MedicationReviewSchema)
    def post(self, args, person_id):
        """Record a medication review; it closes the open review task."""
        person = load_person(person_id, user=_me(), action="medicines.review").person
        return operations.record_review(actor=_me(), person=person, details=args)


@blp.route("/polypharmacy-thresholds")
class Thresholds(MethodView):
    decorators = [login_required]

    @blp.response(200, ThresholdSchema)
    def get(self):
        return queries.thresholds()

    @blp.arguments(ThresholdArgs)
    @blp.response(200, ThresholdSchema)
    def put(self, args):
        """Change the thresholds (admins): they apply to everyone at once, by a recount."""
        if not _me().is_admin:
            flask.abort(404)
        opened = operations.set_thresholds(actor=_me(), **args)
        row = queries.thresholds()
        return {
            "flag_at": row.flag_at,
            "high_at": row.high_at,
            "version": row.version,
            "review_tasks_opened": opened,
        }


@blp.route("/medicines/count")
class Count(MethodView):
    decorators = [login_required]

    @blp.arguments(CountArgs, location="query")
    @blp.response(200, CountSchema)
    def get(self, args):
        """How many people took at least N medicines on a date: a count, no people."""
        return {
            **args,
            "people": queries.count_people_with_at_least(args["at_least"], on=args["on"]),
        }
