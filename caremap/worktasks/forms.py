"""The form that completes a task on the tasks page."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from caremap.ui.forms import HiddenIntegerField

DAY91_CHOICES = [
    SelectChoice("at_home", "At home (own home, extra care housing or an adult placement)"),
    SelectChoice("in_hospital", "In hospital"),
    SelectChoice("in_care_home", "In a care home"),
    SelectChoice("died", "Died"),
]


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
