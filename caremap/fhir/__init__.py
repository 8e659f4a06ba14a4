"""A read-only FHIR R4 (UK Core) view of the record under /fhir (docs/fhir.md)."""

import flask

from caremap.core.extensions import csrf
from caremap.fhir import views


def register(app: flask.Flask) -> None:
    app.register_blueprint(views.bp)
    # Bearer tokens only (never the session cookie), and read-only: no CSRF token to ask for.
    csrf.exempt(views.bp)
