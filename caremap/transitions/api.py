"""A young person's transition plan under /api/v1."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import login_required

from caremap.auth.current import actor as _me
from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.people.loader import load_person
from caremap.people.models import Person
from caremap.transitions import operations
from caremap.transitions.queries import plan_of
from caremap.transitions.schemas import TransitionPlanArgs, TransitionPlanSchema

blp = ApiBlueprint(
    "transitions-api", __name__, url_prefix="/api/v1", description="Transition to adult services"
)


def _person(person_id: int, action: str) -> Person:
    """The person, if the signed-in user may see them (the read audited as `action`)."""
    return load_person(person_id, user=_me(), action=action).person


@blp.route("/people/<int:person_id>/transition-plan")
class Plan(MethodView):
    decorators = [login_required]

    @blp.response(200, TransitionPlanSchema)
    def get(self, person_id):
        plan = plan_of(_person(person_id, "transitions.view").id)
        if plan is None:
            raise NotFoundError()
        return plan

    @blp.arguments(TransitionPlanArgs)
    @blp.response(200, TransitionPlanSchema)
    def put(self, args, person_id):
        """Record the basis of support; the responsibility end follows from it (21, 25 or 18)."""
        person = _person(person_id, "transitions.plan")
        return operations.record_plan(actor=_me(), person=person, details=args)
