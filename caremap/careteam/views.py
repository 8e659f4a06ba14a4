"""Pages: a person's care team, break-glass and its review, tasks, caseload handover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
import sqlalchemy as sa
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.careteam import operations, queries
from caremap.careteam.access import membership_and_person, worker
from caremap.careteam.changes import WORKER_CHANGES
from caremap.careteam.forms import (
    AddMemberForm,
    AssignLeadForm,
    EndMemberForm,
    HandOverForm,
)
from caremap.careteam.permissions import require_can_hand_over, require_care_coordinator
from caremap.careteam.schemas import (
    EndMemberArgs,
    HandOverArgs,
)
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.schemas import ArgsSchema
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("careteam", __name__, template_folder="templates")


def _lead_choices() -> list[SelectChoice]:
    return [
        SelectChoice(str(worker.id), f"{worker.full_name}, {worker.team.name} ({n} people)")
        for worker, n in operations.suggest_key_workers(service=_me().team.service)
    ] or [
        SelectChoice(str(u.id), f"{u.full_name}, {u.team.name}")
        for u in db.session.scalars(
            sa.select(User)
            .where(User.role == Role.KEY_WORKER, User.is_active.is_(True))
            .order_by(User.full_name)
        )
    ]


def _member_choices() -> list[SelectChoice]:
    users = db.session.scalars(
        sa.select(User)
        .where(User.is_active.is_(True), User.role != Role.ADMIN)
        .order_by(User.full_name)
    )
    return [SelectChoice(str(u.id), f"{u.full_name}, {u.team.name}") for u in users]


def _care_team_page(loaded: LoadedPerson, *, status: int = 200, **forms: FlaskForm):
    lead_form = forms.get("lead_form") or AssignLeadForm(formdata=None)
    lead_form.user_id.choices = _lead_choices()
    member_form = forms.get("member_form") or AddMemberForm(formdata=None)
    member_form.user_id.choices = _member_choices()
    return person_page(
        "careteam/care_team.html",
        loaded,
        status,
        members=queries.care_team(loaded.person.id),
        lead_form=lead_form,
        member_form=member_form,
        end_form=forms.get("end_form") or EndMemberForm(formdata=None),
        form=next((f for f in forms.values() if f.errors), None),
    )


@bp.get("/people/<int:person_id>/care-team")
@login_required
def care_team(person_id: int):
    return _care_team_page(load_person(person_id, user=_me(), action="careteam.view"))


def _change(
    loaded: LoadedPerson,
    *,
    form_name: str,
    form: FlaskForm,
    schema: ArgsSchema,
    operate: Callable[[dict[str, Any]], Any],
    done: str,
):
    """A change to the care team on its page: a manager is refused beside the form (they
    see figures, not care), then back to the care team, or the page again with the error."""

    def change(args: dict[str, Any]) -> Any:
        require_care_coordinator(_me())
        return operate(args)

    return handle_form_post(
        form,
        schema,
        change,
        done=done,
        redirect_to=lambda _: flask.url_for("careteam.care_team", person_id=loaded.person.id),
        page=lambda status: _care_team_page(loaded, status=status, **{form_name: form}),
    )


# The page's form for each of changes.WORKER_CHANGES, and who it offers.
_WORKER_FORMS = {
    "lead": (AssignLeadForm, _lead_choices),
    "member": (AddMemberForm, _member_choices),
}


def _worker_change(person_id: int, kind: str, *, done: str):
    change = WORKER_CHANGES[kind]
    loaded = load_person(person_id, user=_me(), action=change.action)
    form_class, choices = _WORKER_FORMS[kind]
    form = form_class()
    form.user_id.choices = choices()
    return _change(
        loaded,
        form_name=f"{kind}_form",
        form=form,
        schema=change.args(),
        operate=lambda args: change.operate(_me(), loaded.person, args),
        done=done,
    )


@bp.post("/people/<int:person_id>/care-team/lead")
@login_required
def assign_lead(person_id: int):
    return _worker_change(person_id, "lead", done="The lead key worker is set.")


@bp.post("/people/<int:person_id>/care-team/members")
@login_required
def add_member(person_id: int):
    return _worker_change(person_id, "member", done="Added to the care team.")


@bp.post("/care-team/<int:membership_id>/end")
@login_required
def end_member(membership_id: int):
    membership, loaded = membership_and_person(
        membership_id, user=_me(), action="careteam.end_member"
    )
    return _change(
        loaded,
        form_name="end_form",
        form=EndMemberForm(),
        schema=EndMemberArgs(),
        operate=lambda args: operations.end_membership(
            actor=_me(), membership=membership, reason=args["reason"]
        ),
        done="Their time in the care team has ended; it stays in the history.",
    )


@bp.route("/users/<int:user_id>/hand-over", methods=["GET", "POST"])
@login_required
def hand_over(user_id: int):
    leaving = db.session.get(User, user_id) or flask.abort(404)
    try:
        require_can_hand_over(_me(), leaving)
    except DomainError:
        flask.abort(404)
    form = HandOverForm()
    colleagues = [
        w
        for w, _ in operations.suggest_key_workers(service=leaving.team.service)
        if w.id != leaving.id
    ]
    form.to_user_id.choices = [
        SelectChoice("", "Each person to the key worker with the smallest caseload")
    ] + [SelectChoice(str(w.id), w.full_name) for w in colleagues]

    def page(status: int):
        count = len(queries.caseload(leaving))
        return flask.render_template(
            "careteam/hand_over.html", leaving=leaving, form=form, count=count
        ), status

    if not form.is_submitted():
        return page(200)
    return handle_form_post(
        form,
        HandOverArgs(),
        lambda args: operations.hand_over_caseload(
            actor=_me(),
            leaving=leaving,
            to=worker(args["to_user_id"], field="to_user_id") if args["to_user_id"] else None,
            reason=args["reason"],
        ),
        done=lambda handed: f"{len(handed)} people handed on.",
        redirect_to=lambda _: flask.url_for("home.home"),
        page=page,
    )
