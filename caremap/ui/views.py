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


# alphagov's accessible-autocomplete, installed by npm beside govuk-frontend (never
# committed): the type-ahead that static/autocomplete.js puts on a picker's text box.
AUTOCOMPLETE_FILES = {
    f"accessible-autocomplete.min.{kind}" for kind in ("js", "css", "js.map", "css.map")
}


@bp.get("/autocomplete/<path:filename>")
def autocomplete_file(filename: str):
    if filename not in AUTOCOMPLETE_FILES:
        flask.abort(404)
    # ASSETS_DIR is node_modules/govuk-frontend/dist/govuk.
    built = _assets_dir().parents[2] / "accessible-autocomplete" / "dist"
    return flask.send_from_directory(built, filename, max_age=3600)
