"""The form that completes a task on the tasks page (its fields are drawn by hand in
worktasks/tasks.html, one form a task; this form reads and guards the post)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField
from caremap.worktasks.schemas import CompleteTaskArgs

DAY91_CHOICES = [
    SelectChoice("at_home", "At home (own home, extra care housing or an adult placement)"),
    SelectChoice("in_hospital", "In hospital"),
    SelectChoice("in_care_home", "In a care home"),
    SelectChoice("died", "Died"),
]


class CompleteTaskForm(FlaskForm):
    version = HiddenIntegerField()
    episode_version = HiddenIntegerField("The episode's version")
    day91_outcome = RadioField(
        validate_choice=False,
        label="Where is the person now?",
        choices=DAY91_CHOICES,
        widget=GovRadioInput(),
    )
    day91_outcome_on = GovDateField("The date it happened")
    review_outcome = TextAreaField(
        "What the review decided", widget=CharacterCount(CompleteTaskArgs)
    )
    not_needed_reason = StringField("Why a review is not needed", widget=GovTextInput())
    note = StringField("Note (optional)", widget=GovTextInput())
    submit = SubmitField("Done", widget=GovSubmitInput())
