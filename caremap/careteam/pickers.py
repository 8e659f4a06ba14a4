"""The staff pickers of the care team and handover pages.

Without JavaScript the picker is a text box and a Find button: the page comes back with
the staff who match as radios, a page at a time, and asks for more of the name past a
limit. With JavaScript (ui/static/autocomplete.js) the same box suggests staff as one
types, from GET /care-team/staff, and posts the chosen one's id in the same field as the
radios would. Either way the id is checked again when the form is posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import flask
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.fields.choices import SelectChoice

from caremap.auth.enums import Role
from caremap.auth.models import User
from caremap.auth.queries import CARING_ROLES, find_staff
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.ui.forms import required_message

PICKER_PAGE = 10
# Past this many matches the page asks for more of the name rather than more pages.
REFINE_OVER = 50


NO_ONE = "__none__"  # the radio of no one in particular (ui.forms reads it as None)


@dataclass
class StaffPicker:
    """A text box (`text`) that finds staff for an id field (`choice`) of a form."""

    text: str
    choice: str
    legend: str  # whom the radios choose, inside a sentence: "the worker"
    find: str  # the Find button's words
    roles: tuple[Role, ...] = CARING_ROLES
    excluding: int | None = None
    # The label of a choice of no one in particular (handover: the smallest caseload).
    no_one: str | None = None
    # Set by `prepare`, for the template.
    matches: Matches | None = None
    chosen: User | None = None
    source: str = ""

    @property
    def page_key(self) -> str:
        return f"{self.text}_page"

    def asked_to_find(self) -> bool:
        """The Find button, or a page of the matches, was pressed: show them, change nothing."""
        return "find" in flask.request.form or self.page_key in flask.request.form

    def check_typed(self, form: FlaskForm) -> int:
        """Find with an empty box: the error beside it (422); otherwise 200."""
        if _typed(form, self.text):
            return 200
        form[self.text].errors = ["Type part of their name, email or team, then press " + self.find]
        return 422

    def require_chosen(self, form: FlaskForm) -> None:
        """Something typed but no one chosen is a question left unanswered, not "no one"."""
        field = form[self.choice]
        if _typed(form, self.text) and _as_id(field.data) is None and field.data != NO_ONE:
            raise DomainError(
                f"Choose {self.legend} from the list, or empty the box", field=self.choice
            )

    def prepare(self, form: FlaskForm, *, listing: bool = False) -> StaffPicker:
        """Ready the picker to be drawn: the matches as the id field's radios when asked,
        or when a name was typed but no one (or no one in particular) chosen; else whoever
        was chosen already (kept in a hidden field, their name in the box)."""
        params: dict[str, Any] = {}
        if len(self.roles) == 1:
            params["role"] = self.roles[0].value
        if self.excluding is not None:
            params["exclude"] = self.excluding
        self.source = flask.url_for("careteam.staff", **params)
        typed = _typed(form, self.text)
        field = form[self.choice]
        chosen_id = _as_id(field.data)
        if typed and (listing or chosen_id is None):
            self.matches = _matches(self, typed)
            choices = [SelectChoice(str(u.id), _label(u)) for u in self.matches.staff]
            if self.no_one:
                choices.insert(0, SelectChoice(NO_ONE, self.no_one))
            field.choices = choices
        elif chosen_id is not None:
            self.chosen = db.session.get(User, chosen_id)
            if self.chosen is not None:
                form[self.text].data = self.chosen.full_name
        self._errors_beside_the_box(form, field)
        return self

    def _errors_beside_the_box(self, form: FlaskForm, field: Field) -> None:
        """Errors about the id go beside the text box, which is on the page either way."""
        if not field.errors:
            return
        listed = self.matches is not None and bool(self.matches.staff)
        asked = f"Choose {self.legend} from the list" if listed else f"Choose {self.legend}"
        moved = [asked if m == required_message(field) else m for m in field.errors]
        form[self.text].errors = list(form[self.text].errors or []) + moved
        field.errors = []


@dataclass
class Matches:
    typed: str
    staff: list[User]
    total: int
    page: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PICKER_PAGE + 1 if self.staff else 0

    @property
    def last(self) -> int:
        return self.first + len(self.staff) - 1 if self.staff else 0

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page * PICKER_PAGE < self.total else None

    refine_over = REFINE_OVER

    @property
    def refine(self) -> bool:
        return self.total > REFINE_OVER


def _matches(picker: StaffPicker, typed: str) -> Matches:
    raw = flask.request.form.get(picker.page_key, "1")
    page = int(raw) if raw.isdigit() and 0 < int(raw) <= 1000 else 1
    staff, total = find_staff(
        typed, roles=picker.roles, excluding=picker.excluding, page=page, per_page=PICKER_PAGE
    )
    return Matches(typed=typed, staff=staff, total=total, page=page)


def _label(user: User) -> str:
    return f"{user.full_name}, {user.team.name} ({user.team.service.name}), {user.role.label}"


def _typed(form: FlaskForm, name: str) -> str:
    return (form[name].data or "").strip()[:100]


def _as_id(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None
