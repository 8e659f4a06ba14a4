"""Pages: a person's care team, break-glass and its review, tasks, caseload handover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
import marshmallow as ma
from flask_login import login_required
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.auth.queries import CARING_ROLES, find_staff
from caremap.careteam import operations, queries
from caremap.careteam.access import key_worker, membership_and_person
from caremap.careteam.changes import WORKER_CHANGES
from caremap.careteam.forms import (
    AddMemberForm,
    AssignLeadForm,
    EndMemberForm,
    HandOverForm,
)
from caremap.careteam.permissions import require_can_hand_over, require_care_coordinator
from caremap.careteam.pickers import StaffPicker
from caremap.careteam.schemas import (
    EndMemberArgs,
    HandOverArgs,
    StaffArgs,
    StaffSchema,
)
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.schemas import ArgsSchema
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("careteam", __name__, template_folder="templates")


def _lead_setup(form: AssignLeadForm) -> StaffPicker | None:
    """Who may lead: the key workers of the user's own service, smallest caseload first, in
    a select (a service's few); a user whose service has none (triage, say) finds a key
    worker by name in a picker instead of a select of every key worker in the city."""
    suggestions = operations.suggest_key_workers(service=_me().team.service)
    if suggestions:
        form.user_id.choices = [
            SelectChoice(str(w.id), f"{w.full_name}, {w.team.name} ({n} people)")
            for w, n in suggestions
        ]
        return None
    form.user_id.widget = GovRadioInput()
    return StaffPicker(
        text="lead_worker",
        choice="user_id",
        legend="the lead key worker",
        find="Find key worker",
        roles=(Role.KEY_WORKER,),
    )


def _member_picker() -> StaffPicker:
    return StaffPicker(text="worker", choice="user_id", legend="the worker", find="Find worker")


@bp.get("/care-team/staff")
@login_required
def staff():
    """The pickers' type-ahead (ui/static/autocomplete.js): active staff whose name, email,
    team or service holds every word of `q`, by name, a page at a time (X-Total-Count).
    Admins are never offered; `role` narrows (key_worker: those who may lead), `exclude`
    leaves one out (who is leaving). A page's feed, signed in by its session: /api/ takes
    only tokens. Staff are not a person's record, so nothing is audited."""
    try:
        args = StaffArgs().load(flask.request.args.to_dict())
    except ma.ValidationError as error:
        return flask.jsonify({"errors": error.normalized_messages()}), 422
    role = args.get("role")
    found, total = find_staff(
        args["q"],
        roles=(role,) if role else CARING_ROLES,
        excluding=args.get("exclude"),
        page=args["page"],
        per_page=args["per_page"],
    )
    return flask.jsonify(StaffSchema(many=True).dump(found)), {"X-Total-Count": str(total)}


def _care_team_page(
    loaded: LoadedPerson, *, status: int = 200, listing: str | None = None, **forms: FlaskForm
):
    """The care team and its forms; `listing` names the form whose Find was pressed."""
    lead_form = forms.get("lead_form") or AssignLeadForm(formdata=None)
    lead_picker = _lead_setup(lead_form)
    member_form = forms.get("member_form") or AddMemberForm(formdata=None)
    return person_page(
        "careteam/care_team.html",
        loaded,
        status,
        members=queries.care_team(loaded.person.id),
        lead_form=lead_form,
        lead_picker=lead_picker and lead_picker.prepare(lead_form, listing=listing == "lead"),
        member_form=member_form,
        member_picker=_member_picker().prepare(member_form, listing=listing == "member"),
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
    exclude: set[str] = frozenset(),
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
        exclude=exclude,
    )


_DONE = {"lead": "The lead key worker is set.", "member": "Added to the care team."}


def _worker_change(person_id: int, kind: str, form: FlaskForm, picker: StaffPicker | None):
    """Add a worker or make one lead: the worker is posted as user_id (a select, or a
    picker whose Find lists the matches and changes nothing), and checked by the change."""
    change = WORKER_CHANGES[kind]
    loaded = load_person(person_id, user=_me(), action=change.action)
    if picker is not None and picker.asked_to_find():
        status = picker.check_typed(form)
        return _care_team_page(loaded, status=status, listing=kind, **{f"{kind}_form": form})
    return _change(
        loaded,
        form_name=f"{kind}_form",
        form=form,
        schema=change.args(),
        operate=lambda args: change.operate(_me(), loaded.person, args),
        done=_DONE[kind],
        exclude={picker.text} if picker is not None else frozenset(),
    )


@bp.post("/people/<int:person_id>/care-team/lead")
@login_required
def assign_lead(person_id: int):
    form = AssignLeadForm()
    return _worker_change(person_id, "lead", form, _lead_setup(form))


@bp.post("/people/<int:person_id>/care-team/members")
@login_required
def add_member(person_id: int):
    return _worker_change(person_id, "member", AddMemberForm(), _member_picker())


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
    picker = StaffPicker(
        text="to_worker",
        choice="to_user_id",
        legend="who takes the caseload",
        find="Find key worker",
        roles=(Role.KEY_WORKER,),
        excluding=leaving.id,
        no_one="Each person to the key worker in the team with the smallest caseload",
    )

    def page(status: int, *, listing: bool = False):
        count = len(queries.caseload(leaving))
        return flask.render_template(
            "careteam/hand_over.html",
            leaving=leaving,
            form=form,
            picker=picker.prepare(form, listing=listing),
            count=count,
        ), status

    if not form.is_submitted():
        return page(200)
    if picker.asked_to_find():
        return page(picker.check_typed(form), listing=True)

    def hand_over_to(args: dict[str, Any]) -> Any:
        picker.require_chosen(form)
        to_user_id = args["to_user_id"]
        return operations.hand_over_caseload(
            actor=_me(),
            leaving=leaving,
            to=key_worker(to_user_id, field="to_user_id") if to_user_id else None,
            reason=args["reason"],
        )

    return handle_form_post(
        form,
        HandOverArgs(),
        hand_over_to,
        done=lambda handed: f"{len(handed)} people handed on.",
        redirect_to=lambda _: flask.url_for("home.home"),
        page=page,
        exclude={"to_worker"},
    )
