"""The start page (caseload, tasks, records opened recently) and the navigation."""

from __future__ import annotations

import flask
from flask_login import current_user, login_required

from caremap import audit
from caremap.auth.current import actor as _me
from caremap.auth.permissions import (
    can_administer,
    can_read_safeguarding_figures,
    can_view_indicators,
)
from caremap.careteam.queries import audit_caseload_read, caseload
from caremap.people.queries import recently_viewed
from caremap.worktasks.queries import open_tasks_for

bp = flask.Blueprint("home", __name__, template_folder="templates")


def nav_items() -> list[tuple[str, str]]:
    items = [
        ("home.home", "Home"),
        ("people.search", "Find a person"),
        ("people.register", "Register"),
        ("referrals.my_queue", "Referrals"),
        ("referrals.mine", "Referrals I made"),
        ("worktasks.tasks", "Tasks"),
        ("safeguarding.queue", "Safeguarding"),
    ]
    if can_view_indicators(current_user):
        items.append(("indicators.dashboard", "Indicators"))
    if can_view_indicators(current_user) or can_read_safeguarding_figures(current_user):
        items.append(("returns.index", "Returns"))
    if can_administer(current_user):
        items.append(("auth.users", "Users"))
        items.append(("routing.rules", "Routing rules"))
        items.append(("access.break_glass_review_list", "Break-glass review"))
        items.append(("medicines.thresholds", "Polypharmacy"))
    return items


@bp.get("/")
@login_required
def home():
    me = _me()
    entries = caseload(me)
    audit_caseload_read(me, entries)
    recent = recently_viewed(me)
    # The list shows each person's date of birth, NHS number and postcode: a read of each.
    audit.record_reads(me, "people.recent_view", [person.id for person in recent])
    return flask.render_template(
        "home/home.html", recent=recent, caseload=entries, tasks=open_tasks_for(me)
    )
