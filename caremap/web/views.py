"""The start page, front-end assets and the load balancer's health check."""

from __future__ import annotations

from pathlib import Path

import flask
import sqlalchemy as sa
from flask_login import current_user, login_required

from caremap.auth.enums import Role
from caremap.core.extensions import db

bp = flask.Blueprint("web", __name__, template_folder="templates")


def nav_items() -> list[tuple[str, str]]:
    items = [
        ("web.home", "Home"),
        ("people.search", "Find a person"),
        ("people.register", "Register"),
        ("referrals.my_queue", "Referrals"),
        ("careteam.tasks", "Tasks"),
        ("safeguarding.queue", "Safeguarding"),
    ]
    if current_user.is_authenticated and current_user.role in (Role.MANAGER, Role.ADMIN):
        items.append(("indicators.dashboard", "Indicators"))
    if current_user.is_authenticated and current_user.role == Role.ADMIN:
        items.append(("auth.users", "Users"))
        items.append(("routing.rules", "Routing rules"))
        items.append(("careteam.break_glass_review_list", "Break-glass review"))
        items.append(("medicines.thresholds", "Polypharmacy"))
    return items


@bp.get("/")
@login_required
def home():
    from caremap.careteam.queries import audit_caseload_read, caseload
    from caremap.people.queries import recently_viewed
    from caremap.worktasks.queries import open_tasks_for

    me = current_user._get_current_object()
    entries = caseload(me)
    audit_caseload_read(me, entries)
    return flask.render_template(
        "web/home.html", recent=recently_viewed(me), caseload=entries, tasks=open_tasks_for(me)
    )


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
