"""Free text has a sensible limit, shown as GOV.UK's character count and enforced by the
domain's Args, so a page and the API refuse the same over-long text with the same words.

The limit lives in one place, the Args field's Length(max): the walk below holds every
free-text box of every form to it, and the posts show both doors refusing, changing nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict

import marshmallow as ma
import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import TextAreaField

from caremap.core.db import Base
from caremap.core.extensions import db
from caremap.core.schemas import ArgsSchema
from caremap.routing.models import RoutingRule
from caremap.safeguarding.models import Concern
from caremap.ui.forms import CharacterCount
from tests.safeguarding.test_safeguarding import CONCERN


def _subclasses(cls: type) -> set[type]:
    found, queue = set(), list(cls.__subclasses__())
    while queue:
        one = queue.pop()
        queue.extend(one.__subclasses__())
        if one.__module__.startswith("caremap."):
            found.add(one)
    return found


def _domain(cls: type) -> str:
    return cls.__module__.split(".")[1]


def _length_max(field: ma.fields.Field) -> int | None:
    limits = [v.max for v in field.validators if isinstance(v, ma.validate.Length) and v.max]
    return min(limits) if limits else None


def _free_text_boxes(app):
    """(form.field, bound field) for every TextAreaField of every form of the app."""
    with app.test_request_context():
        for cls in sorted(_subclasses(FlaskForm), key=lambda c: f"{c.__module__}.{c.__name__}"):
            form = cls(formdata=None, meta={"csrf": False})
            for field in form:
                if isinstance(field, TextAreaField):
                    yield (
                        cls,
                        field,
                        str(field()) if isinstance(field.widget, CharacterCount) else "",
                    )


def test_every_free_text_box_counts_to_the_limit_its_args_enforce(app):
    args_of = defaultdict(list)
    for args in _subclasses(ArgsSchema):
        args_of[_domain(args)].append(args)
    seen, problems = 0, []
    for cls, field, html in _free_text_boxes(app):
        seen += 1
        where = f"{cls.__module__}.{cls.__name__}.{field.short_name}"
        if not isinstance(field.widget, CharacterCount):
            problems.append(f"{where}: {type(field.widget).__name__}, not a CharacterCount")
            continue
        limit = field.widget.limit(field)
        if not 0 < limit <= 10_000:
            problems.append(f"{where}: a limit of {limit}")
        if f'data-maxlength="{limit}"' not in html or f"up to {limit} characters" not in html:
            problems.append(f"{where}: the page does not show the count to {limit}")
        # Every Args of the form's domain taking a field of that name takes as much and no more.
        for args in args_of[_domain(cls)]:
            schema_field = args._declared_fields.get(field.short_name)
            if schema_field is None or not isinstance(schema_field, ma.fields.String):
                continue
            if _length_max(schema_field) != limit:
                problems.append(
                    f"{where}: counts to {limit}, "
                    f"{args.__name__}.{field.short_name} takes {_length_max(schema_field)}"
                )
    assert seen > 35, "the walk found too few free-text boxes: are the forms imported?"
    assert not problems, "\n".join(problems)


# Where a box's text is kept in a column of another name (a held row's decision).
_KEPT_AS = {("imports", "reason"): "decision_reason"}


def test_no_box_takes_more_than_its_column_holds(app):
    columns = defaultdict(list)
    for mapper in Base.registry.mappers:
        for column in mapper.columns:
            if isinstance(column.type, sa.String) and column.type.length:
                columns[(_domain(mapper.class_), column.key)].append(
                    (mapper.class_.__name__, column.type.length)
                )
    problems = []
    for cls, field, _html in _free_text_boxes(app):
        if not isinstance(field.widget, CharacterCount):
            continue
        limit = field.widget.limit(field)
        name = _KEPT_AS.get((_domain(cls), field.short_name), field.short_name)
        for model, length in columns[(_domain(cls), name)]:
            if limit > length:
                problems.append(f"{cls.__name__}.{field.short_name}: {limit} > {model}.{name}")
    assert not problems, "\n".join(problems)


# Text an Args takes that is no one's free text: a code looked up, a password compared,
# values of a closed list or pattern (their own field types check them).
_NOT_FREE_TEXT = {
    "ChangePasswordArgs.confirm_password",
    "CreateUserArgs.team",
    "UpdateUserArgs.team",
    "NeedListArgs.source",
    "ServiceArgs.strand",
    "TeamArgs.service",
    "CohortRulesArgs.source",
    "CohortRulesArgs.domains",
    "RedirectArgs.service",
    "RoutingRuleSetArgs.source",
    "ActionsArgs.episode_kind",
}


def test_all_text_an_args_takes_has_a_limit(app):
    """So a reason, a role or a note typed in a one-line box is refused naming the field
    when it is too long, not cut short or refused by the database."""
    unlimited = []
    for args in _subclasses(ArgsSchema):
        for name, field in args._declared_fields.items():
            inner = field.inner if isinstance(field, ma.fields.List) else field
            if type(inner) is not ma.fields.String or f"{args.__name__}.{name}" in _NOT_FREE_TEXT:
                continue
            if not any(_bounded(v) for v in inner.validators):
                unlimited.append(f"{args.__module__}.{args.__name__}.{name}")
    assert not unlimited, "\n".join(sorted(unlimited))


def _bounded(rule: ma.validate.Validator) -> bool:
    if isinstance(rule, ma.validate.Length):
        return rule.max is not None
    if isinstance(rule, ma.validate.Regexp):
        # Anchored at both ends with bounded repeats only ({2,40}): it bounds the length.
        pattern = re.sub(r"\[[^\]]*\]", "", rule.regex.pattern)  # + inside [...] is a plus
        return pattern.startswith("^") and pattern.endswith("$") and not re.search(r"[*+]", pattern)
    # A closed list of values: marshmallow's, or long-term support's CLD lists.
    return isinstance(rule, ma.validate.OneOf) or type(rule).__name__ == "OneOfList"


def _concerns(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Concern))


WHAT_HAPPENED_TOO_LONG = "She told me " + "x" * 3990  # 4002 characters; the limit is 4000
WHAT_HAPPENED_REFUSED = (
    "The answer to “What happened, or what you saw or were told” must be 4000 characters or fewer"
)


def _raise_form(**changes) -> dict:
    form = {
        **{k: v for k, v in CONCERN.items() if k != "needs_advocate"},
        "needs_advocate": "false",
        "categories": CONCERN["categories"],
        **changes,
    }
    return form


def test_a_page_refuses_over_long_text_with_the_sentence_and_changes_nothing(
    app, client, login_as, make_person
):
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    before = _concerns(app)
    response = client.post(
        f"/people/{person_id}/safeguarding/new",
        data=_raise_form(what_happened=WHAT_HAPPENED_TOO_LONG),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert WHAT_HAPPENED_REFUSED in page
    assert 'href="#what_happened"' in page  # the error summary links to the box
    assert _concerns(app) == before
    # The same form with the text within the limit goes through.
    fits = client.post(
        f"/people/{person_id}/safeguarding/new", data=_raise_form(what_happened="x" * 4000)
    )
    assert fits.status_code == 302, fits.get_data(as_text=True)[:2000]
    assert _concerns(app) == before + 1


def test_the_api_refuses_the_same_text_naming_the_field(app, api, make_person):
    person_id = make_person(role="key_worker")
    before = _concerns(app)
    response = api("key_worker").post(
        f"/people/{person_id}/safeguarding-concerns",
        json={**CONCERN, "what_happened": WHAT_HAPPENED_TOO_LONG},
    )
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {
        "what_happened": ["must be 4000 characters or fewer"]
    }
    assert _concerns(app) == before


def test_my_story_over_its_limit_is_refused_on_the_page_and_by_the_api(
    api, client, login_as, make_person
):
    person_id = make_person(role="key_worker")
    story = api("key_worker").get(f"/people/{person_id}/story").json
    login_as("key_worker")
    page = client.post(f"/people/{person_id}/story", data={"text": "a" * 10_001})
    assert page.status_code == 422
    assert "My story must be 10000 characters or fewer" in page.get_data(as_text=True)
    by_api = api("key_worker").post(
        f"/people/{person_id}/story", json={"text": "a" * 10_001, "based_on_id": None}
    )
    assert by_api.status_code == 422
    assert by_api.json["errors"]["json"] == {"text": ["must be 10000 characters or fewer"]}
    assert api("key_worker").get(f"/people/{person_id}/story").json == story


def test_line_breaks_count_once_as_the_browser_counts_them(api, client, login_as, make_person):
    """A browser posts each line break as CRLF but its count (and GOV.UK's) sees one
    character: text the page says fits must not be refused."""
    person_id = make_person(role="key_worker")
    login_as("key_worker")
    lines = ["x" * 99] * 100  # 100 lines of 99 and 99 breaks: 9999 as counted, 10098 posted
    saved = client.post(f"/people/{person_id}/story", data={"text": "\r\n".join(lines)})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    text = api("key_worker").get(f"/people/{person_id}/story").json[0]["text"]  # newest first
    assert text == "\n".join(lines) and len(text) == 9_999


@pytest.mark.parametrize(("field", "limit"), [("conditions", 2000), ("actions", 1000)])
def test_a_rule_s_json_has_a_limit_the_form_holds(app, client, login_as, field, limit):
    login_as("admin")
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule))
    form = {
        "code": "too_long_rule",
        "name": "A rule with too much in it",
        "priority": "50",
        "conditions": '{"age_min": 65}',
        "targets": "reablement",
        "actions": "{}",
        "save": "Save as a new version",
    }
    form[field] = '{"areas_any": [' + ", ".join(['"PL1"'] * (limit // 7 + 1)) + "]}"
    assert len(form[field]) > limit
    response = client.post("/admin/routing-rules/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    label = {"conditions": "Conditions", "actions": "Actions"}[field]
    assert f"{label} must be {limit} characters or fewer" in page
    assert f'data-maxlength="{limit}"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RoutingRule)) == before
