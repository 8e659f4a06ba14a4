"""Who may see a person's record: the relationships, the decision, and break-glass."""

import flask

from caremap.access import api, policy, views
from caremap.auth.permissions import can_break_glass
from caremap.core.extensions import register_api_blueprint


def register(app: flask.Flask) -> None:
    policy.register_relationship(app, "break_glass", policy.people_with_break_glass)
    app.register_blueprint(views.bp)
    register_api_blueprint(api.blp)
    app.add_template_global(can_break_glass)
