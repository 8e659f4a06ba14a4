"""The statutory returns built from the record: CLD (quarterly) and SAC (annual)."""

import flask

from caremap.returns import rules, views


def register(app: flask.Flask) -> None:
    """The returns' pages; the specification is checked whole at start-up, so a typo in
    seed/cld/specification.json stops the app rather than miscounting a field."""
    rules.check_specification()
    app.register_blueprint(views.bp)
