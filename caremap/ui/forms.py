"""WTForms renders and guards (CSRF) a page's form; the domain's Args schema validates it.

So a form post and a JSON body pass the same rules, and a page shows each
error beside its field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import flask
import marshmallow as ma
from flask_wtf import FlaskForm
from govuk_frontend_wtf.main import wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovDateInput
from wtforms import (
    DateField,
    Field,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
)
from wtforms.validators import Length, ValidationError
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
            raise ValueError(f"{plain_label(self.label.text)} must have a day, a month and a year")
        try:
            self.data = dt.datetime.strptime(
                " ".join(v.strip() for v in valuelist), "%d %m %Y"
            ).date()
        except ValueError:
            self.data = None
            raise ValueError(
                f"{plain_label(self.label.text)} must be a real date, like 27 3 1950"
            ) from None


def text_limit(args: type[ma.Schema], name: str) -> int:
    """The most characters the Args field `name` takes: its Length(max)."""
    field = args._declared_fields[name]
    limits = [v.max for v in field.validators if isinstance(v, ma.validate.Length) and v.max]
    if not limits:
        raise LookupError(f"{args.__name__}.{name} has no Length(max) to show as a count")
    return min(limits)


class CharacterCount(GovCharacterCount):
    """GOV.UK's character count ("You have 20 characters remaining") whose limit is the
    one the domain's Args already enforce, so the page and the API refuse the same text
    with the same sentence and the number lives in one place.

    `CharacterCount(RaiseConcernArgs)` reads the Args field of the form field's own name;
    `CharacterCount(DeclineArgs, "reason")` names it. Text no Args field takes (a rule's
    JSON) gives `CharacterCount()` and a `TextLimit(n)` validator on the form field.
    """

    def __init__(self, args: type[ma.Schema] | None = None, name: str | None = None) -> None:
        super().__init__()
        self.args = args
        self.name = name

    def limit(self, field: Field) -> int:
        if self.args is not None:
            return text_limit(self.args, self.name or field.short_name)
        limits = [v.max for v in field.validators if isinstance(v, Length) and v.max > 0]
        if not limits:
            raise LookupError(f"{field.short_name} has neither Args nor a TextLimit to count to")
        return min(limits)

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params["maxlength"] = self.limit(field)  # never a template's own number
        return params


class TextLimit(Length):
    """A length limit checked by the form itself, for text no Args field takes as text
    (JSON a schema reads after parsing); its message is the Args' sentence."""

    def __init__(self, limit: int) -> None:
        super().__init__(max=limit)

    def __call__(self, form: FlaskForm, field: Field) -> None:
        if field.data and len(_one_newline(field.data)) > self.max:
            raise ValidationError(sentence(field, f"must be {self.max} characters or fewer"))


def _one_newline(text: str) -> str:
    # A browser posts a line break as CRLF but counts it (GOV.UK's count, maxlength) as one
    # character: count and keep it as one, so text the page says fits is never refused.
    return text.replace("\r\n", "\n")


def form_data(form: FlaskForm, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
    data = {}
    for name, field in form._fields.items():
        if name in _NOT_DATA or name in exclude:
            continue
        value = field.data
        if isinstance(value, dt.date):
            value = value.isoformat()
        if isinstance(value, str):
            value = _one_newline(value)
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
        field.errors = list(field.errors or []) + [sentence(field, str(t)) for t in texts]


def attach_domain_error(form: FlaskForm, error: DomainError) -> None:
    attach_errors(form, error.as_errors())


# Errors are sentences a person would write, made from the field's label: "Enter first
# name", "Choose the urgency", "Answer “Has the person agreed to this referral being
# shared?”", "Say why you need to see this record now", "Reason must say why". Never
# "Enter has the person…", "(optional)" inside an error, or "Needs choose between…".
_REQUIRED = ("Missing data for required field.", "Field may not be null.")
_ASKING = {"has", "have", "is", "are", "was", "were", "does", "do", "did", "can", "will"}
_SAYING = {"why", "what", "how", "who", "when", "where", "which", "whether"}
_IMPERATIVE = {"choose", "enter", "select", "give", "say", "tick", "add", "pick", "answer"}
_CHOOSING = (RadioField, SelectField, SelectMultipleField)


def plain_label(label: str) -> str:
    """The label as it reads inside a sentence: no "(optional)" or other aside, no colon."""
    return re.sub(r"\s*\([^)]*\)", "", label).strip().rstrip(":").strip()


def _in_sentence(label: str) -> str:
    """Lower-case the first word unless it is an acronym (NHS, GP) or a name."""
    first = label.split(" ", 1)[0]
    if first.isupper() or first[1:2].isupper() or not first[:1].isupper():
        return label
    return label[:1].lower() + label[1:]


def required_message(field: Field) -> str:
    """What a person is told when a field was left empty, from its label."""
    label = plain_label(field.label.text)
    first = label.split(" ", 1)[0].lower()
    if label.endswith("?") or first in _ASKING:
        return f"Answer “{label}”"
    if first in _SAYING:
        return f"Say {_in_sentence(label)}"
    verb = "Choose" if isinstance(field, _CHOOSING) else "Enter"
    return f"{verb} {_in_sentence(label)}"


def sentence(field: Field, message: str) -> str:
    """A message from the rules (the Args schema, an operation) as a sentence for the page."""
    if message in _REQUIRED:
        return required_message(field)
    if message[:1].islower():
        if message.split(" ", 1)[0] in _IMPERATIVE:  # "choose between 1 and 20 needs"
            return message[:1].upper() + message[1:]
        label = plain_label(field.label.text)
        if label.endswith("?") or label.split(" ", 1)[0].lower() in _ASKING | _SAYING:
            return f"The answer to “{label}” {message}"
        if not label[:1].isupper():  # a name written in lower case, like dm+d
            return f"The {label} {message}"
        return f"{label} {message}"
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
