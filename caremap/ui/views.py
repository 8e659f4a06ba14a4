"""Front-end assets and the load balancer's health check."""

from __future__ import annotations

from pathlib import Path

import flask
import sqlalchemy as sa

from caremap.core.extensions import db

bp = flask.Blueprint("ui", __name__)


@bp.get("/healthz")
def healthz():
    """For a load balancer: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return flask.jsonify({"status": "unavailable", "database": "unreachable"}), 503
    return flask.jsonify({"status": "ok", "database": "ok"})


def _assets_dir() -> Path:
    return Path(flask.current_app.config["ASSETS_DIR"])


@bp.get("/assets/<path:filename>")
def govuk_asset(filename: str):
    return flask.send_from_directory(_assets_dir() / "assets", filename, max_age=86400)


@bp.get("/govuk/<path:filename>")
def govuk_file(filename: str):
    if not filename.startswith("govuk-frontend.min."):
        flask.abort(404)
    return flask.send_from_directory(_assets_dir(), filename, max_age=3600)
