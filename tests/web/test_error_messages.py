"""Every error message is a sentence a person would write, made from the field's label.

Walks every FlaskForm of the app: for each field a person fills in, the message for a
field left empty and for a rule broken must read as a sentence (no "Enter has the
person…", no "(optional)" inside an error, no "Needs choose between 1 and 20 needs").
"""

from __future__ import annotations

import re

import pytest
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField
from wtforms.widgets import HiddenInput

from caremap.ui.forms import required_message, sentence

QUESTION_AFTER_ENTER = re.compile(
    r"^(Enter|Choose) (has|have|is|are|was|were|does|do|did|can|will|why|what|how|who|when"
    r"|where|which|whether)\b",
    re.IGNORECASE,
)


def _every_form() -> list[type[FlaskForm]]:
    found, queue = [], list(FlaskForm.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.startswith("caremap."):
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__name__}")


def _fields(app):
    with app.test_request_context():
        for cls in _every_form():
            form = cls(formdata=None, meta={"csrf": False})
            for field in form:
                if isinstance(field, SubmitField | HiddenField) or isinstance(
                    field.widget, HiddenInput
                ):
                    continue
                yield f"{cls.__module__}.{cls.__name__}.{field.name}", field


def _is_a_sentence(text: str) -> list[str]:
    problems = []
    if not text[:1].isupper():
        problems.append("does not start with a capital")
    if "(optional)" in text or "(" in text.replace("(s)", ""):
        problems.append("has an aside in brackets")
    if QUESTION_AFTER_ENTER.match(text):
        problems.append("puts a question after Enter/Choose")
    if "??" in text or "?”?" in text or " :" in text:
        problems.append("has doubled punctuation")
    if re.search(r"\b(\w+) \1\b", text, re.IGNORECASE):
        problems.append("repeats a word")
    return problems


def test_the_walk_finds_the_app_s_forms(app):
    names = {name.rsplit(".", 1)[0] for name, _ in _fields(app)}
    for expected in (
        "caremap.referrals.forms.ReferralForm",
        "caremap.people.forms.RegisterForm",
        "caremap.access.forms.BreakGlassReviewForm",
        "caremap.auth.forms.CreateUserForm",
    ):
        assert expected in names
    assert len(names) > 30


def test_every_form_s_messages_read_as_sentences(app):
    bad = {}
    for name, field in _fields(app):
        for text in (
            required_message(field),
            sentence(field, "Missing data for required field."),
            sentence(field, "must be 2000 characters or fewer"),
        ):
            problems = _is_a_sentence(text)
            if problems:
                bad[f"{name}: {text}"] = problems
    assert not bad, "\n".join(f"{k} ({', '.join(v)})" for k, v in sorted(bad.items()))


@pytest.mark.parametrize(
    ("label", "kind", "expected"),
    [
        ("First name", "text", "Enter first name"),
        ("NHS number", "text", "Enter NHS number"),
        ("Preferred name (optional)", "text", "Enter preferred name"),
        ("Why you need to see this record now", "text", "Say why you need to see this record now"),
        (
            "Has the person agreed to this referral being shared?",
            "radio",
            "Answer “Has the person agreed to this referral being shared?”",
        ),
        ("Urgency", "radio", "Choose urgency"),
    ],
)
def test_a_required_message_from_a_label(app, label, kind, expected):
    from wtforms import Form, RadioField, StringField

    class One(Form):
        value = RadioField(label) if kind == "radio" else StringField(label)

    assert required_message(One().value) == expected


def test_rules_that_begin_with_a_verb_are_not_glued_to_the_label(app):
    from wtforms import Form, SelectMultipleField, StringField

    class One(Form):
        needs = SelectMultipleField("Needs")
        reason = StringField("Reason (optional)")

    form = One()
    assert sentence(form.needs, "choose between 1 and 20 needs") == "Choose between 1 and 20 needs"
    assert sentence(form.reason, "must say why") == "Reason must say why"
