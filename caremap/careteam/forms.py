from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.web.forms import HiddenIntegerField

DAY91_CHOICES = [
    SelectChoice("at_home", "At home (own home, extra care housing or an adult placement)"),
    SelectChoice("in_hospital", "In hospital"),
    SelectChoice("in_care_home", "In a care home"),
    SelectChoice("died", "Died"),
]


class AssignLeadForm(FlaskForm):
    user_id = SelectField(
        "Lead key worker",
        choices=[],
        validate_choice=False,
        widget=GovSelect(),
        description="Smallest caseload first",
    )
    reason = TextAreaField("Handover reason (when someone else leads now)", widget=GovTextArea())
    submit = SubmitField("Make lead key worker", widget=GovSubmitInput())


class AddMemberForm(FlaskForm):
    user_id = SelectField("Worker", choices=[], validate_choice=False, widget=GovSelect())
    role = StringField(
        "Their role for this person",
        widget=GovTextInput(),
        description="For example social worker, community nurse, support worker",
    )
    submit = SubmitField("Add to the care team", widget=GovSubmitInput())


class EndMemberForm(FlaskForm):
    reason = StringField("Why they leave the care team", widget=GovTextInput())
    submit = SubmitField("End", widget=GovSubmitInput())


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        "Why you need to see this record now",
        widget=GovTextArea(),
        description="For example: unconscious in ED, need medicines and allergies. "
        "An admin reviews every use.",
    )
    submit = SubmitField("Open the record in an emergency", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    note = TextAreaField("Review note", widget=GovTextArea())
    submit = SubmitField("Mark as reviewed", widget=GovSubmitInput())


class CompleteTaskForm(FlaskForm):
    version = HiddenIntegerField()
    day91_outcome = RadioField(
        validate_choice=False,
        label="Where is the person now?",
        choices=DAY91_CHOICES,
        widget=GovRadioInput(),
    )
    note = StringField("Note (optional)", widget=GovTextInput())
    submit = SubmitField("Done", widget=GovSubmitInput())


class HandOverForm(FlaskForm):
    to_user_id = SelectField(
        "Hand every person on to", choices=[], validate_choice=False, widget=GovSelect()
    )
    reason = TextAreaField(
        "Why", widget=GovTextArea(), description="For example, leaving the service on 30 November"
    )
    submit = SubmitField("Hand over the whole caseload", widget=GovSubmitInput())
