"""Medicines, medication reviews and the polypharmacy thresholds under /api/v1."""

from __future__ import annotations

import flask
from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.auth.permissions import can_administer
from caremap.core.api import ApiBlueprint
from caremap.medicines import operations, queries
from caremap.medicines.access import load_medicine
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
from caremap.people.models import Person

blp = ApiBlueprint(
    "medicines-api", __name__, url_prefix="/api/v1", description="Medicines and polypharmacy"
)


def _person(person_id: int, action: str) -> Person:
    """The person, if the signed-in user may see them (the read audited as `action`)."""
    return load_person(person_id, user=_me(), action=action).person


@blp.route("/people/<int:person_id>/medicines")
class Medicines(MethodView):
    decorators = [login_required]

    @blp.response(200, MedicineSchema(many=True))
    def get(self, person_id):
        """Current medicines first, then stopped ones (kept as history)."""
        return queries.medicines_of(_person(person_id, "medicines.view").id)

    @blp.arguments(MedicineArgs)
    @blp.response(201, MedicineSchema)
    def post(self, args, person_id):
        """Record a medicine; reaching the threshold opens a medication review task. The
        same medicine already taken answers 409 naming the field (name or dmd_code) unless
        confirm_second_course is true."""
        person = _person(person_id, "medicines.record")
        return operations.record_medicine(actor=_me(), person=person, details=args)


@blp.route("/medicines/<int:medicine_id>/stop")
class Stop(MethodView):
    decorators = [login_required]

    @blp.arguments(StopMedicineArgs)
    @blp.response(200, MedicineSchema)
    def post(self, args, medicine_id):
        medicine, _ = load_medicine(medicine_id, user=_me(), action="medicines.stop")
        return operations.stop_medicine(actor=_me(), medicine=medicine, **args)


@blp.route("/people/<int:person_id>/medication-reviews")
class Reviews(MethodView):
    decorators = [login_required]

    @blp.response(200, MedicationReviewSchema(many=True))
    def get(self, person_id):
        return queries.reviews_of(_person(person_id, "medicines.view_reviews").id)

    @blp.arguments(MedicationReviewArgs)
    @blp.response(201, MedicationReviewSchema)
    def post(self, args, person_id):
        """Record a medication review; it closes the open review task."""
        person = _person(person_id, "medicines.review")
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
        if not can_administer(_me()):
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
