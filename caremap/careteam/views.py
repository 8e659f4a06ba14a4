"""Pages: a person's care team, break-glass and its review, tasks, caseload handover."""

from __future__ import annotations

import flask
import sqlalchemy as sa
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.careteam import operations, queries
from caremap.careteam.forms import (
    AddMemberForm,
    AssignLeadForm,
    EndMemberForm,
    HandOverForm,
)
from caremap.careteam.models import CareTeamMember
from caremap.careteam.permissions import require_can_hand_over, require_care_coordinator
from caremap.careteam.schemas import (
    AddMemberArgs,
    AssignLeadArgs,
    EndMemberArgs,
    HandOverArgs,
)
from caremap.core.errors import DomainError, NotFoundError
from caremap.core.extensions import db
from caremap.flags import flags_for
from caremap.people.loader import load_person
from caremap.ui.forms import attach_domain_error, validate_form

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


def _care_team_page(loaded, *, status: int = 200, **forms):
    lead_form = forms.get("lead_form") or AssignLeadForm(formdata=None)
    lead_form.user_id.choices = _lead_choices()
    member_form = forms.get("member_form") or AddMemberForm(formdata=None)
    member_form.user_id.choices = _member_choices()
    return (
        flask.render_template(
            "careteam/care_team.html",
            person=loaded.person,
            access=loaded.access,
            glass=loaded.break_glass,
            flags=flags_for(loaded.person),
            members=queries.care_team(loaded.person.id),
            lead_form=lead_form,
            member_form=member_form,
            end_form=EndMemberForm(formdata=None),
            form=next((f for f in forms.values() if f.errors), None),
        ),
        status,
    )


@bp.get("/people/<int:person_id>/care-team")
@login_required
def care_team(person_id: int):
    return _care_team_page(load_person(person_id, user=_me(), action="careteam.view"))


def _change(person_id: int, action: str, form, schema, form_name: str, operation, done: str):
    loaded = load_person(person_id, user=_me(), action=action)
    if form_name == "lead_form":
        form.user_id.choices = _lead_choices()
    else:
        form.user_id.choices = _member_choices()
    args = validate_form(form, schema)
    if args is not None:
        try:
            require_care_coordinator(_me())
            worker = db.session.get(User, args["user_id"])
            if worker is None:
                raise DomainError("There is no such worker", field="user_id")
            operation(loaded.person, worker, args)
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(done, "success")
            return flask.redirect(flask.url_for("careteam.care_team", person_id=person_id))
    return _care_team_page(loaded, status=422, **{form_name: form})


@bp.post("/people/<int:person_id>/care-team/lead")
@login_required
def assign_lead(person_id: int):
    def run(person, worker, args):
        operations.assign_lead_key_worker(
            actor=_me(), person=person, worker=worker, reason=args.get("reason")
        )

    return _change(
        person_id,
        "careteam.assign_lead",
        AssignLeadForm(),
        AssignLeadArgs(),
        "lead_form",
        run,
        "The lead key worker is set.",
    )


@bp.post("/people/<int:person_id>/care-team/members")
@login_required
def add_member(person_id: int):
    def run(person, worker, args):
        operations.add_member(actor=_me(), person=person, worker=worker, role=args["role"])

    return _change(
        person_id,
        "careteam.add_member",
        AddMemberForm(),
        AddMemberArgs(),
        "member_form",
        run,
        "Added to the care team.",
    )


@bp.post("/care-team/<int:membership_id>/end")
@login_required
def end_member(membership_id: int):
    membership = db.session.get(CareTeamMember, membership_id)
    if membership is None:
        raise NotFoundError()
    loaded = load_person(membership.person_id, user=_me(), action="careteam.end_member")
    form = EndMemberForm()
    args = validate_form(form, EndMemberArgs())
    if args is not None:
        try:
            require_care_coordinator(_me())
            operations.end_membership(actor=_me(), membership=membership, reason=args["reason"])
        except DomainError as error:
            attach_domain_error(form, error)
        else:
            flask.flash(
                "Their time in the care team has ended; it stays in the history.", "success"
            )
            return flask.redirect(
                flask.url_for("careteam.care_team", person_id=membership.person_id)
            )
    return _care_team_page(loaded, status=422, end_form=form)


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
    status = 200
    if form.is_submitted():
        args = validate_form(form, HandOverArgs())
        if args is not None:
            try:
                to = db.session.get(User, args["to_user_id"]) if args["to_user_id"] else None
                handed = operations.hand_over_caseload(
                    actor=_me(), leaving=leaving, to=to, reason=args["reason"]
                )
            except DomainError as error:
                attach_domain_error(form, error)
            else:
                flask.flash(f"{len(handed)} people handed on.", "success")
                return flask.redirect(flask.url_for("home.home"))
        status = 422
    count = len(queries.caseload(leaving))
    return flask.render_template(
        "careteam/hand_over.html", leaving=leaving, form=form, count=count
    ), status
