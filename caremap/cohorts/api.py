"""Needs assessments and the cohort counts under /api/v1."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.cohorts import operations, queries
from caremap.cohorts.schemas import CohortCountsSchema, NeedsAssessmentArgs, NeedsAssessmentSchema
from caremap.core.api import ApiBlueprint
from caremap.people.loader import load_person
from caremap.people.models import Person

blp = ApiBlueprint(
    "cohorts-api", __name__, url_prefix="/api/v1", description="Multiple-needs cohorts"
)


def _person(person_id: int, action: str) -> Person:
    """The person, if the signed-in user may see them (the read audited as `action`)."""
    return load_person(person_id, user=_me(), action=action).person


@blp.route("/people/<int:person_id>/needs-assessments")
class Assessments(MethodView):
    decorators = [login_required]

    @blp.response(200, NeedsAssessmentSchema(many=True))
    def get(self, person_id):
        return queries.assessments_of(_person(person_id, "cohorts.view").id)

    @blp.arguments(NeedsAssessmentArgs)
    @blp.response(201, NeedsAssessmentSchema)
    def post(self, args, person_id):
        """Record an assessment; the cohort is derived by the rule unless overridden
        (with a reason)."""
        person = _person(person_id, "cohorts.assess")
        return operations.record_assessment(actor=_me(), person=person, details=args)


@blp.route("/cohorts/counts")
class Counts(MethodView):
    decorators = [login_required]

    @blp.response(200, CohortCountsSchema)
    def get(self):
        """How many people are in each cohort now (the city expects about 270 core,
        3,000 edge and 5,000 stable): counts, no people."""
        return queries.cohort_counts()
