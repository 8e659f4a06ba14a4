"""Pages: a person's long-term support, their social care profile, and each event's own
pages (record, read, edit, end). Anyone with full access to the person may record; the
loader decides who that is and audits every read."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import flask
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from caremap.auth.current import actor as _me
from caremap.core import clock
from caremap.longterm import queries
from caremap.longterm.access import load_event
from caremap.longterm.changes import EVENTS, EventKind
from caremap.longterm.forms import ProfileForm
from caremap.longterm.operations import PROFILE_FIELDS, save_profile
from caremap.longterm.schemas import ProfileArgs
from caremap.people.loader import LoadedPerson, load_person
from caremap.people.pages import person_page
from caremap.people.queries import record_ids
from caremap.referrals.queries import referral_list
from caremap.ui.forms import handle_form_post

bp = flask.Blueprint("longterm", __name__, template_folder="templates")


def _overview(person_id: int) -> str:
    return flask.url_for("longterm.overview", person_id=person_id)


@bp.get("/people/<int:person_id>/long-term-support")
@login_required
def overview(person_id: int):
    loaded = load_person(person_id, user=_me(), action="longterm.view")
    ids = record_ids(loaded.person)
    return person_page(
        "longterm/overview.html",
        loaded,
        profile=queries.profile_of(loaded.person.id),
        events=[(kind, kind.of_people(ids)) for kind in EVENTS.values()],
    )


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return value


def _profile_page(loaded: LoadedPerson, form: FlaskForm, status: int = 200):
    return person_page("longterm/profile.html", loaded, status, form=form)


@bp.route("/people/<int:person_id>/social-care-profile", methods=["GET", "POST"])
@login_required
def profile(person_id: int):
    loaded = load_person(person_id, user=_me(), action="longterm.profile.view")
    if flask.request.method == "GET":
        row = queries.profile_of(person_id)
        data: dict[str, Any] = {}
        if row is not None:
            data = {name: _form_value(getattr(row, name)) for name in PROFILE_FIELDS}
            for name in ("dementia", "autism", "has_unpaid_carer"):
                data[name] = data[name] or "__none__"
            data["version"] = row.version
        return _profile_page(loaded, ProfileForm(formdata=None, **data))
    form = ProfileForm()
    return handle_form_post(
        form,
        ProfileArgs(),
        lambda args: save_profile(actor=_me(), person=loaded.person, details=args),
        done="The social care profile is saved.",
        redirect_to=lambda _: _overview(person_id),
        page=lambda status: _profile_page(loaded, form, status),
    )


def _fill_links(form: FlaskForm, person_ids: list[int]) -> None:
    """The person's own referrals, assessments or packages an event may point to."""
    if hasattr(form, "referral_id"):
        form.referral_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(r.id), f"{r.reference}, {r.service.name}")
            for r in referral_list(person_ids)
        ]
    if hasattr(form, "assessment_id"):
        form.assessment_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(a.id), f"{a.kind.label}, {a.started_on:%-d %B %Y}")
            for a in queries.assessments_of(person_ids)
        ]
    if hasattr(form, "care_package_id"):
        form.care_package_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(p.id), f"{p.service_component}, from {p.started_on:%-d %B %Y}")
            for p in queries.packages_of(person_ids)
        ]


def _form_page(
    kind: EventKind, loaded: LoadedPerson, form: FlaskForm, *, event: Any = None, status: int = 200
):
    _fill_links(form, record_ids(loaded.person))
    return person_page(
        "longterm/event_form.html", loaded, status, kind=kind, form=form, event=event
    )


def _record(kind: EventKind, person_id: int):
    loaded = load_person(person_id, user=_me(), action=kind.record.action)
    if flask.request.method == "GET":
        return _form_page(kind, loaded, kind.form(formdata=None, started_on=clock.today()))
    form = kind.form()
    _fill_links(form, record_ids(loaded.person))
    return handle_form_post(
        form,
        kind.record.args(),
        lambda args: kind.record.operate(_me(), loaded.person, args),
        done=f"The {kind.noun} is recorded.",
        redirect_to=lambda event: event_url(kind, "view", event.id),
        page=lambda status: _form_page(kind, loaded, form, status=status),
        exclude={"version"},
    )


def _event_page(
    kind: EventKind,
    event: Any,
    loaded: LoadedPerson,
    *,
    end_form: FlaskForm | None = None,
    status: int = 200,
):
    return person_page(
        "longterm/event.html",
        loaded,
        status,
        kind=kind,
        event=event,
        shown=kind.schema().dump(event),
        labels=_labels(kind),
        end_form=end_form or kind.end_form(formdata=None, version=event.version),
        form=end_form if end_form is not None and end_form.errors else None,
    )


def _view(kind: EventKind, event_id: int):
    row, loaded = load_event(
        kind.model, event_id, user=_me(), action=f"longterm.{kind.audit_name}.view"
    )
    return _event_page(kind, row, loaded)


def _edit(kind: EventKind, event_id: int):
    row, loaded = load_event(kind.model, event_id, user=_me(), action=kind.update.action)
    if flask.request.method == "GET":
        names = [n for n in kind.form(formdata=None).data if hasattr(row, n) and n != "version"]
        data = {name: _form_value(getattr(row, name)) for name in names}
        if "eligible_needs_identified" in data:
            data["eligible_needs_identified"] = data["eligible_needs_identified"] or "__none__"
        for name in ("referral_id", "assessment_id", "care_package_id", "cared_for_person_id"):
            if data.get(name) not in (None, ""):
                data[name] = str(data[name])
        form = kind.form(formdata=None, version=row.version, **data)
        return _form_page(kind, loaded, form, event=row)
    form = kind.form()
    _fill_links(form, record_ids(loaded.person))
    return handle_form_post(
        form,
        kind.update.args(),
        lambda args: kind.update.operate(_me(), row, args),
        done=f"The {kind.noun} is saved.",
        redirect_to=lambda _: event_url(kind, "view", row.id),
        page=lambda status: _form_page(kind, loaded, form, event=row, status=status),
        exclude={"kind"},
    )


def _end(kind: EventKind, event_id: int):
    row, loaded = load_event(kind.model, event_id, user=_me(), action=kind.end.action)
    form = kind.end_form()
    return handle_form_post(
        form,
        kind.end.args(),
        lambda args: kind.end.operate(_me(), row, args),
        done=f"The {kind.noun} has ended.",
        redirect_to=lambda _: event_url(kind, "view", row.id),
        page=lambda status: _event_page(kind, row, loaded, end_form=form, status=status),
    )


def event_url(kind: EventKind, what: str, event_id: int) -> str:
    """The address of an event's page: what is view, edit or end."""
    return flask.url_for(f"longterm.{what}_{kind.name}", **{kind.id_arg: event_id})


def _register(kind: EventKind) -> None:
    """One kind's pages, each rule naming its own id (assessment_id …), so the access
    matrix sees that it leads to a person."""
    by_id = f"/{kind.slug}/<int:{kind.id_arg}>"

    def record(person_id: int):
        return _record(kind, person_id)

    def view(**ids: int):
        return _view(kind, ids[kind.id_arg])

    def edit(**ids: int):
        return _edit(kind, ids[kind.id_arg])

    def end(**ids: int):
        return _end(kind, ids[kind.id_arg])

    for rule, what, function, methods in (
        (f"/people/<int:person_id>/{kind.slug}/new", "record", record, ["GET", "POST"]),
        (by_id, "view", view, ["GET"]),
        (f"{by_id}/edit", "edit", edit, ["GET", "POST"]),
        (f"{by_id}/end", "end", end, ["POST"]),
    ):
        bp.add_url_rule(
            rule,
            endpoint=f"{what}_{kind.name}",
            view_func=login_required(function),
            methods=methods,
        )


for _kind in EVENTS.values():
    _register(_kind)
bp.add_app_template_global(event_url, "event_url")


def _labels(kind: EventKind) -> dict[str, str]:
    """The words the forms ask each question with, so the page reads the same as the form
    ("WEMWBS score", "Provider CQC location ID"), not a column's name."""
    labels = {}
    for form_class in (kind.form, kind.end_form):
        for field in form_class(formdata=None, meta={"csrf": False}):
            labels[field.name] = field.label.text.removesuffix(" (optional)")
    return labels
