from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField

from caremap.careteam.schemas import AssignLeadArgs, HandOverArgs
from caremap.ui.forms import CharacterCount


def lead_key_worker_field() -> SelectField:
    """Whom to make lead key worker (here, and when a referral is accepted): the view
    offers the service's key workers, smallest caseload first."""
    return SelectField(
        "Lead key worker",
        choices=[],
        validate_choice=False,
        widget=GovSelect(),
        description="Smallest caseload first",
    )


def staff_search_field(label: str, hint: str) -> StringField:
    """The text box of a staff picker (careteam.pickers): part of a name, email or team."""
    return StringField(label, widget=GovTextInput(), description=hint)


def staff_choice_field(label: str, *, id: str | None = None) -> RadioField:
    """The staff who match what was typed, as radios (the view sets the choices and their
    legend); with JavaScript a hidden field of the same name carries the one chosen as one
    types. Its errors are shown beside the text box, which has the same label."""
    return RadioField(label, choices=[], validate_choice=False, widget=GovRadioInput(), id=id)


class AssignLeadForm(FlaskForm):
    user_id = lead_key_worker_field()
    # Instead of the select when the user's service has no key workers (views._lead_setup).
    lead_worker = staff_search_field(
        "Lead key worker", "Type part of a key worker's name, email or team"
    )
    reason = TextAreaField(
        "Handover reason (when someone else leads now)", widget=CharacterCount(AssignLeadArgs)
    )
    submit = SubmitField("Make lead key worker", widget=GovSubmitInput())


class AddMemberForm(FlaskForm):
    worker = staff_search_field("Worker", "Type part of their name, email or team")
    # Its own id: the lead key worker's select above it on the page is "user_id" too.
    user_id = staff_choice_field("Worker", id="member-user_id")
    role = StringField(
        "Their role for this person",
        widget=GovTextInput(),
        description="For example social worker, community nurse, support worker",
    )
    submit = SubmitField("Add to the care team", widget=GovSubmitInput())


class EndMemberForm(FlaskForm):
    reason = StringField("Why they leave the care team", widget=GovTextInput())
    submit = SubmitField("End", widget=GovSubmitInput())


class HandOverForm(FlaskForm):
    to_worker = staff_search_field(
        "Hand every person on to (optional)",
        "Type part of a key worker's name, email or team. Leave it empty and each person goes "
        "to the key worker in the team with the smallest caseload",
    )
    to_user_id = staff_choice_field("Hand every person on to")
    reason = TextAreaField(
        "Why",
        widget=CharacterCount(HandOverArgs),
        description="For example, leaving the service on 30 November",
    )
    submit = SubmitField("Hand over the whole caseload", widget=GovSubmitInput())
