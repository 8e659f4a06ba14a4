"""A young person's transition plan under /api/v1."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import current_user, login_required

from caremap.core.api import ApiBlueprint
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.people.loader import load_person
from caremap.transitions import operations
from caremap.transitions.models import TransitionPlan
from caremap.transitions.schemas import TransitionPlanArgs, TransitionPlanSchema

blp = ApiBlueprint(
    "transitions-api", __name__, url_prefix="/api/v1", description="Transition to adult services"
)


@blp.route("/people/<int:person_id>/transition-plan")
class Plan(MethodView):
    decorators = [login_required]

    @blp.response(200, TransitionPlanSchema)
    def get(self, person_id):
        person = load_person(
            person_id, user=current_user._get_current_object(), action="transitions.view"
        ).person
        plan = db.session.scalar(
            sa.select(TransitionPlan).where(TransitionPlan.person_id == person.id)
        )
        if plan is None:
            raise NotFoundError()
        return plan

    @blp.arguments(TransitionPlanArgs)
    @blp.response(200, TransitionPlanSchema)
    def put(self, args, person_id):
        """Record the basis of support; the responsibility end follows from it (21, 25 or 18)."""
        me = current_user._get_current_object()
        person = load_person(person_id, user=me, action="transitions.plan").person
        return operations.record_plan(actor=me, person=person, details=args)
