"""Safeguarding pages: raise a concern, the leads' queue, triage, enquiries, the numbers."""

from __future__ import annotations

import datetime as dt

import flask
import sqlalchemy as sa
from flask_login import login_required
from wtforms.fields.choices import SelectChoice

from caremap import audit
from caremap.access.policy import Access
from caremap.auth.current import actor as _me
from caremap.auth.models import User
from caremap.auth.permissions import can_lead_safeguarding, can_read_safeguarding_figures
from caremap.core import clock
from caremap.core.db import utcnow
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.people.loader import load_person
from caremap.people.pages import person_page
from caremap.safeguarding import operations, queries, sac, worklist
from caremap.safeguarding.forms import (
    ActionDoneForm,
    ActionForm,
    ConcludeForm,
    FiguresForm,
    MeetingForm,
    RaiseConcernForm,
    RemoveRiskForm,
    RiskForm,
    ShareSummaryForm,
    TakeForm,
    TriageForm,
)
from caremap.safeguarding.models import Concern, EnquiryAction, EnquiryRisk
from caremap.safeguarding.permissions import (
    can_read_brief,
    can_see_detail,
    enquiry_or_404,
    load_concern,
    load_for_work,
    require_lead,
)
from caremap.safeguarding.schemas import (
    ActionArgs,
    ConcludeArgs,
    FiguresArgs,
    MeetingArgs,
    RaiseConcernArgs,
    RiskArgs,
    ShareSummaryArgs,
    TriageArgs,
    VersionArgs,
)
from caremap.ui.forms import handle_form_post, validate_form

bp = flask.Blueprint("safeguarding", __name__, template_folder="templates")


@bp.route("/people/<int:person_id>/safeguarding/new", methods=["GET", "POST"])
@login_required
def raise_concern(person_id: int):
    loaded = load_person(
        person_id, user=_me(), action="safeguarding.raise_open", need=Access.IDENTITY
    )
    form = RaiseConcernForm()
    if not form.is_submitted():
        return person_page("safeguarding/raise.html", loaded, form=form)
    return handle_form_post(
        form,
        RaiseConcernArgs(),
        lambda args: operations.raise_concern(actor=_me(), person=loaded.person, details=args),
        done=lambda concern: (
            f"Concern {concern.reference} is raised. A safeguarding lead will decide what "
            f"happens next by {concern.triage_due_at:%-d %B}."
        ),
        redirect_to=lambda _: flask.url_for("safeguarding.mine"),
        page=lambda status: person_page("safeguarding/raise.html", loaded, status, form=form),
    )


@bp.get("/safeguarding/mine")
@login_required
def mine():
    """Concerns the worker raised (their status) and the enquiry actions given to them."""
    actions = worklist.actions_owned_by(_me())
    audit.record_reads(_me(), "safeguarding.actions_view", [a.enquiry.person_id for a in actions])
    return flask.render_template(
        "safeguarding/mine.html",
        concerns=queries.raised_by(_me()),
        actions=actions,
    )


@bp.get("/safeguarding")
@login_required
def queue():
    if not can_lead_safeguarding(_me()):
        return flask.redirect(flask.url_for("safeguarding.mine"))
    entries = queries.triage_queue(now=utcnow())
    enquiries = queries.open_enquiries()
    audit.record_reads(
        _me(),
        "safeguarding.queue_view",
        [e.concern.person_id for e in entries] + [q.person_id for q in enquiries],
    )
    return flask.render_template(
        "safeguarding/queue.html",
        entries=entries,
        counts=queries.queue_counts(entries),
        enquiries=enquiries,
    )


def _concern(concern_id: int) -> Concern:
    return load_concern(concern_id, user=_me())


def _person(concern: Concern):
    """The person the concern is about, for the header every page about a person carries:
    through the one loader (its rule, its audit row), at the level the viewer has; the
    concern's own rule has already let them in."""
    return load_person(
        concern.person_id,
        user=_me(),
        action="safeguarding.view_person",
        need=Access.IDENTITY,
        allow_merged=True,
    )


def _brief_page(concern: Concern, *, status: int = 200, **forms):
    """The enquiry as an action's owner reads it: the shared summary and their actions."""
    enquiry = concern.enquiry
    return person_page(
        "safeguarding/brief.html",
        _person(concern),
        status,
        concern=concern,
        enquiry=enquiry,
        own_actions=[a for a in enquiry.actions if a.owner_id == _me().id],
        done_form=forms.get("done_form") or ActionDoneForm(formdata=None),
        form=next((f for f in forms.values() if f.errors), None),
    )


def _work_page(concern: Concern, full: bool, *, status: int = 200, **forms):
    if full:
        return _concern_page(concern, status=status, **forms)
    return _brief_page(concern, status=status, **forms)


def _concern_page(concern: Concern, *, status: int = 200, **forms):
    enquiry = concern.enquiry
    action_form = forms.get("action_form") or ActionForm(formdata=None)
    action_form.owner_id.choices = [
        SelectChoice(str(u.id), f"{u.full_name}, {u.team.name}")
        for u in db.session.scalars(
            sa.select(User).where(User.is_active.is_(True)).order_by(User.full_name)
        )
    ]
    version = enquiry.version if enquiry else None
    return person_page(
        "safeguarding/concern.html",
        _person(concern),
        status,
        concern=concern,
        enquiry=enquiry,
        take_form=forms.get("take_form") or TakeForm(formdata=None, version=concern.version),
        triage_form=forms.get("triage_form") or TriageForm(formdata=None, version=concern.version),
        meeting_form=forms.get("meeting_form") or MeetingForm(formdata=None, held_on=clock.today()),
        action_form=action_form,
        done_form=ActionDoneForm(formdata=None),
        conclude_form=forms.get("conclude_form")
        or ConcludeForm(formdata=None, version=version, closed_on=clock.today()),
        summary_form=forms.get("summary_form")
        or ShareSummaryForm(
            formdata=None,
            version=version,
            shared_summary=enquiry.shared_summary if enquiry else None,
        ),
        risk_form=forms.get("risk_form") or RiskForm(formdata=None, version=version),
        remove_risk_form=RemoveRiskForm(formdata=None),
        is_lead=can_lead_safeguarding(_me()),
        form=next((f for f in forms.values() if f.errors), None),
    )


@bp.get("/safeguarding/concerns/<int:concern_id>")
@login_required
def concern(concern_id: int):
    found = db.session.get(Concern, concern_id)
    if (
        found is not None
        and found.raised_by_id == _me().id
        and not can_see_detail(_me(), found)
        and not can_read_brief(_me(), found)
    ):
        return flask.redirect(flask.url_for("safeguarding.mine"))
    return _work_page(*load_for_work(concern_id, user=_me()))


def _act(concern: Concern, form, schema, form_name: str, run, done: str, *, full: bool = True):
    """A form on the concern's page: back to that page, done or refused."""
    return handle_form_post(
        form,
        schema,
        run,
        done=done,
        redirect_to=lambda _: flask.url_for("safeguarding.concern", concern_id=concern.id),
        page=lambda status: _work_page(concern, full, status=status, **{form_name: form}),
    )


@bp.post("/safeguarding/concerns/<int:concern_id>/take")
@login_required
def take(concern_id: int):
    require_lead(_me())
    found = _concern(concern_id)
    return _act(
        found,
        TakeForm(),
        VersionArgs(),
        "take_form",
        lambda a: operations.take_concern(actor=_me(), concern=found, **a),
        "You have taken the concern.",
    )


@bp.post("/safeguarding/concerns/<int:concern_id>/triage")
@login_required
def triage(concern_id: int):
    require_lead(_me())
    found = _concern(concern_id)
    return _act(
        found,
        TriageForm(),
        TriageArgs(),
        "triage_form",
        lambda a: operations.triage_concern(actor=_me(), concern=found, **a),
        "The decision is recorded.",
    )


def _enquiry_concern(enquiry_id: int) -> tuple:
    """The enquiry, its concern, and whether the user sees the detail: an action's owner
    reaches the operation, which refuses what only those who run the enquiry may do (403
    with the reason), rather than a 404 for an enquiry they can read."""
    enquiry = enquiry_or_404(enquiry_id)
    return (enquiry, *load_for_work(enquiry.concern_id, user=_me()))


@bp.post("/safeguarding/enquiries/<int:enquiry_id>/meetings")
@login_required
def add_meeting(enquiry_id: int):
    enquiry, found, full = _enquiry_concern(enquiry_id)
    return _act(
        found,
        MeetingForm(),
        MeetingArgs(),
        "meeting_form",
        lambda a: operations.add_meeting(actor=_me(), enquiry=enquiry, details=a),
        "The meeting is recorded.",
        full=full,
    )


@bp.post("/safeguarding/enquiries/<int:enquiry_id>/actions")
@login_required
def add_action(enquiry_id: int):
    enquiry, found, full = _enquiry_concern(enquiry_id)
    form = ActionForm()
    form.owner_id.choices = []
    return _act(
        found,
        form,
        ActionArgs(),
        "action_form",
        lambda a: operations.add_action(actor=_me(), enquiry=enquiry, **a),
        "The action is added, and is on its owner's task list.",
        full=full,
    )


@bp.post("/safeguarding/enquiries/<int:enquiry_id>/summary")
@login_required
def share_summary(enquiry_id: int):
    enquiry, found, full = _enquiry_concern(enquiry_id)
    return _act(
        found,
        ShareSummaryForm(),
        ShareSummaryArgs(),
        "summary_form",
        lambda a: operations.share_summary(actor=_me(), enquiry=enquiry, **a),
        "The summary is shared with the action owners.",
        full=full,
    )


@bp.post("/safeguarding/enquiries/<int:enquiry_id>/risks")
@login_required
def add_risk(enquiry_id: int):
    enquiry, found, full = _enquiry_concern(enquiry_id)
    return _act(
        found,
        RiskForm(),
        RiskArgs(),
        "risk_form",
        lambda a: sac.add_risk(actor=_me(), enquiry=enquiry, **a),
        "The risk is recorded.",
        full=full,
    )


@bp.post("/safeguarding/risks/<int:risk_id>/remove")
@login_required
def remove_risk(risk_id: int):
    risk = get_or_404(EnquiryRisk, risk_id)
    _, found, full = _enquiry_concern(risk.enquiry_id)
    return _act(
        found,
        RemoveRiskForm(),
        VersionArgs(),
        "remove_risk_form",
        lambda a: sac.remove_risk(actor=_me(), risk=risk, **a),
        "The risk is removed.",
        full=full,
    )


@bp.post("/safeguarding/actions/<int:action_id>/done")
@login_required
def action_done(action_id: int):
    action = get_or_404(EnquiryAction, action_id)
    _, found, full = _enquiry_concern(action.enquiry_id)
    return _act(
        found,
        ActionDoneForm(),
        VersionArgs(),
        "done_form",
        lambda a: operations.complete_action(actor=_me(), action=action, **a),
        "The action is done.",
        full=full,
    )


@bp.post("/safeguarding/enquiries/<int:enquiry_id>/conclude")
@login_required
def conclude(enquiry_id: int):
    enquiry, found, full = _enquiry_concern(enquiry_id)
    return _act(
        found,
        ConcludeForm(),
        ConcludeArgs(),
        "conclude_form",
        lambda a: operations.conclude_enquiry(actor=_me(), enquiry=enquiry, **a),
        "The enquiry is concluded.",
        full=full,
    )


@bp.get("/safeguarding/figures")
@login_required
def figures():
    if not can_read_safeguarding_figures(_me()):
        raise NotFoundError()
    today = clock.today()
    form = (
        FiguresForm(flask.request.args)
        if flask.request.args
        else FiguresForm(
            formdata=None, start=today.replace(day=1) - dt.timedelta(days=365), end=today
        )
    )
    numbers, status = None, 200
    args = validate_form(form, FiguresArgs())
    if args is not None:
        numbers = queries.figures(start=args["start"], end=args["end"])
    elif flask.request.args:
        status = 422
    return flask.render_template("safeguarding/figures.html", form=form, numbers=numbers), status
