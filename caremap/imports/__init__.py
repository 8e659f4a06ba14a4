"""Bulk import of people and their history from the systems councils and trusts run today."""

import flask

from caremap.imports import views


def register(app: flask.Flask) -> None:
    """The admin pages: upload, import history, error reports, the held-matches queue."""
    app.register_blueprint(views.bp)
