"""The admin's routing rules pages: list, edit with validation, preview, save a version."""

from __future__ import annotations

import json
from typing import Any

import flask
import marshmallow as ma

from caremap.auth.current import actor as _me
from caremap.auth.enums import Role
from caremap.auth.permissions import role_required
from caremap.core.errors import DomainError
from caremap.routing import operations, queries
from caremap.routing.forms import RuleForm
from caremap.routing.models import RoutingRule
from caremap.routing.schemas import RoutingRuleArgs
from caremap.ui import pending
from caremap.ui.forms import attach_errors

bp = flask.Blueprint(
    "routing", __name__, url_prefix="/admin/routing-rules", template_folder="templates"
)


@bp.get("")
@role_required(Role.ADMIN)
def rules():
    return flask.render_template("routing/rules.html", rules=queries.current_rules())


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_rule():
    return _edit(None)


@bp.route("/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_rule(code: str):
    current = queries.current_rule(code)
    if current is None:
        flask.abort(404)
    return _edit(current)


def _edit(current: RoutingRule | None):
    """Post/redirect/get: a preview holds the draft server side (`ui.pending`) and
    redirects (303) to the editor showing it, tried again on the referrals as they are
    then; saving takes the held draft, once."""
    versions = queries.rule_versions(current.code) if current is not None else []
    kind = f"routing.rule:{current.code if current is not None else ''}"
    here = _editor_url(current)
    token = flask.request.values.get(pending.TOKEN)

    def page(form: RuleForm, status: int = 200, **extra: Any):
        return flask.render_template(
            "routing/edit.html",
            form=form,
            current=current,
            versions=versions,
            action=here(),
            held_token=token,
            **extra,
        ), status

    if flask.request.method == "GET":
        if token is None:
            return page(_blank(current))
        held = pending.held(token, user_id=_me().id, kind=kind)
        if held is None:  # used, expired, someone else's: all answered alike
            token = None
            return page(_blank(current), 404, gone=pending.GONE)
        form = RuleForm(formdata=pending.as_formdata(held["fields"]))
        if current is not None:
            form.code.data = current.code
        rule = _parse(form)
        preview = _try(form, lambda: operations.preview_rule(rule)) if rule else None
        return page(form, preview=preview)
    if token is not None and pending.take(token, user_id=_me().id, kind=kind) is None:
        flask.flash(pending.GONE)
        return flask.redirect(here(), 303)
    form = RuleForm()
    if current is not None:
        form.code.data = current.code  # the code names the rule across versions
    rule = _parse(form)
    if rule is not None:
        if form.preview.data:
            if _try(form, lambda: operations.preview_rule(rule)) is not None:
                again = pending.hold(
                    user_id=_me().id,
                    kind=kind,
                    payload={"fields": pending.form_payload(flask.request.form)},
                    token=token,
                )
                return flask.redirect(here(**{pending.TOKEN: again}), 303)
        else:
            saved = _try(form, lambda: operations.save_rule(actor=_me(), rule=rule))
            if saved is not None:
                flask.flash(f"Rule {saved.code} is now at version {saved.version}.", "success")
                return flask.redirect(flask.url_for("routing.rules"))
    return page(form, 422)


def _editor_url(current: RoutingRule | None):
    def url(**args: str) -> str:
        if current is None:
            return flask.url_for("routing.new_rule", **args)
        return flask.url_for("routing.edit_rule", code=current.code, **args)

    return url


def _try(form: RuleForm, act):
    """What `act` answers, or None with its refusal beside the field it names."""
    try:
        return act()
    except DomainError as error:
        attach_errors(form, {error.field.split(".")[0]: [error.message]})
        return None


def _blank(current: RoutingRule | None) -> RuleForm:
    form = RuleForm(formdata=None)
    if current is not None:
        form.code.data, form.name.data, form.description.data = (
            current.code,
            current.name,
            current.description,
        )
        form.priority.data = str(current.priority)
        form.conditions.data = json.dumps(current.conditions, indent=2)
        form.targets.data = ", ".join(current.targets)
        form.actions.data = json.dumps(current.actions or {}, indent=2)
        form.is_active.data = current.is_active
    return form


def _parse(form: RuleForm) -> dict[str, Any] | None:
    """The form as a rule, through the same schema seed/routing_rules.json loads with."""
    if not form.validate():
        return None
    data: dict[str, Any] = {
        "code": form.code.data,
        "name": form.name.data,
        "description": form.description.data or "",
        "targets": [t.strip() for t in (form.targets.data or "").split(",") if t.strip()],
        "is_active": form.is_active.data,
    }
    problems: dict[str, list[str]] = {}
    try:
        data["priority"] = int(form.priority.data or "")
    except ValueError:
        problems["priority"] = ["must be a whole number"]
    for name in ("conditions", "actions"):
        text = getattr(form, name).data or ("{}" if name == "actions" else "")
        try:
            data[name] = json.loads(text)
        except json.JSONDecodeError as error:
            problems[name] = [f"is not valid JSON ({error.msg} at line {error.lineno})"]
    if problems:
        attach_errors(form, problems)
        return None
    try:
        return RoutingRuleArgs().load(data)
    except ma.ValidationError as error:
        attach_errors(form, _flatten(error.normalized_messages()))
        return None


def _flatten(messages: dict[str, Any]) -> dict[str, list[str]]:
    """Nested schema errors onto the form's top-level fields, naming the inner keys."""
    return {key: list(_lines(value)) for key, value in messages.items()}


def _lines(value: Any, path: str = ""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _lines(
                inner, f"{path}{key}." if isinstance(inner, dict) else f"{path}{key}: "
            )
    else:
        for message in value:
            yield f"{path}{message}"
