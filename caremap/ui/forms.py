"""WTForms renders and guards (CSRF) a page's form; the domain's Args schema validates it.

So a form post and a JSON body pass the same rules, and a page shows each
error beside its field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import flask
import marshmallow as ma
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, IntegerField
from wtforms.widgets import HiddenInput

from caremap.core.errors import DomainError

_NOT_DATA = {"csrf_token", "submit", "preview", "send"}


class GovDateField(DateField):
    """Day, month and year boxes; a bad date is reported with the field's name."""

    widget = GovDateInput()

    def __init__(self, label: str, **kwargs: Any) -> None:
        super().__init__(label, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            self.raw_data = None  # the widget redraws from raw_data only when all three came
            return
        if len(valuelist) != 3:
            self.raw_data = None
            raise ValueError(f"{self.label.text} must have a day, a month and a year")
        try:
            self.data = dt.datetime.strptime(
                " ".join(v.strip() for v in valuelist), "%d %m %Y"
            ).date()
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 27 3 1950") from None


def form_data(form: FlaskForm, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
    data = {}
    for name, field in form._fields.items():
        if name in _NOT_DATA or name in exclude:
            continue
        value = field.data
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value == "__none__":
            value = None
        data[name] = value
    return data


def validate_form(
    form: FlaskForm,
    schema: ma.Schema,
    *,
    exclude: set[str] = frozenset(),
    extra: dict[str, Any] | None = None,
) -> dict | None:
    """The loaded Args, or None with every error attached to its field.

    `extra` adds values that come from the page, not the form (the person's id).
    """
    valid = form.validate()
    # Fields WTForms could not read (a date that is not a date) are left out, so the
    # schema still reports every other problem on the same submit.
    unreadable = {name for name, field in form._fields.items() if field.errors}
    data = {k: v for k, v in form_data(form, exclude=exclude).items() if k not in unreadable}
    try:
        args = schema.load({**data, **(extra or {})})
    except ma.ValidationError as error:
        messages = error.normalized_messages()
        attach_errors(form, {k: v for k, v in messages.items() if k not in unreadable})
        return None
    return args if valid else None


def attach_errors(form: FlaskForm, messages: dict[str, Any]) -> None:
    for name, field_messages in messages.items():
        field = form._fields.get(name)
        texts = field_messages if isinstance(field_messages, list) else [str(field_messages)]
        if field is None:
            field = next(f for n, f in form._fields.items() if n not in _NOT_DATA)
        label = field.label.text
        field.errors = list(field.errors or []) + [_sentence(label, str(t)) for t in texts]


def attach_domain_error(form: FlaskForm, error: DomainError) -> None:
    attach_errors(form, error.as_errors())


def _sentence(label: str, message: str) -> str:
    if message[:1].islower():
        return f"{label} {message}"
    if message == "Missing data for required field.":
        return f"Enter {label.lower()}"
    return message


class HiddenIntegerField(IntegerField):
    """A hidden number (a version, an id); blank means none.

    It renders its data, not what was posted, so a view can move it on (after a
    conflict, to the version the user has now been shown).
    """

    widget = HiddenInput()

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError("The form was damaged: reload the page and try again") from None


def error_summary(form: FlaskForm) -> dict[str, Any]:
    """GOV.UK error summary parameters; a date's link goes to its day box, which takes focus."""
    params = wtforms_errors(form)
    date_ids = {f.id for f in form._fields.values() if isinstance(f, GovDateField)}
    for item in params["errorList"]:
        if item["href"].lstrip("#") in date_ids:
            item["href"] += "-day"
    return params


def handle_form_post(
    form: FlaskForm,
    schema: ma.Schema,
    operate: Callable[[dict[str, Any]], Any],
    *,
    done: str | Callable[[Any], str] | None,
    redirect_to: Callable[[Any], str],
    page: Callable[[int], Any],
    exclude: set[str] = frozenset(),
    refused: Callable[[DomainError], Any] | None = None,
):
    """The one shape of a page's form post: validate with the domain's Args, operate, and
    either flash `done` and redirect (post/redirect/get) or show `page` again with each
    error beside its field (422, so the request's writes are rolled back).

    `exclude` names form fields the Args do not take. `refused` may answer a refusal that
    needs a page of its own (a stale copy, likely duplicates: 409); when it returns None
    the error goes beside its field as any other.
    """
    args = validate_form(form, schema, exclude=exclude)
    if args is not None:
        try:
            result = operate(args)
        except DomainError as error:
            answer = refused(error) if refused is not None else None
            if answer is not None:
                return answer
            attach_domain_error(form, error)
        else:
            message = done(result) if callable(done) else done
            if message:
                flask.flash(message, "success")
            return flask.redirect(redirect_to(result))
    return page(422)
