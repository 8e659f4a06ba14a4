from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.ui.forms import GovDateField

YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]


def _need(label: str) -> RadioField:
    return RadioField(validate_choice=False, label=label, choices=YES_NO, widget=GovRadioInput())


class NeedsAssessmentForm(FlaskForm):
    assessed_on = GovDateField("Assessed on")
    homelessness = _need("Homeless or at risk of homelessness")
    substance_misuse = _need("Drug or alcohol misuse")
    offending = _need("Offending")
    mental_health = _need("Mental ill health")
    domestic_abuse = _need("Domestic abuse")
    engagement = RadioField(
        validate_choice=False,
        label="Engagement with support",
        choices=[SelectChoice(e.value, e.value.replace("_", " ").capitalize()) for e in Engagement],
        widget=GovRadioInput(),
    )
    stability = RadioField(
        validate_choice=False,
        label="Stability",
        choices=[SelectChoice(s.value, s.value.capitalize()) for s in Stability],
        widget=GovRadioInput(),
    )
    override_cohort = RadioField(
        validate_choice=False,
        label="Override the derived cohort (optional)",
        choices=[SelectChoice("__none__", "No: use the rule")]
        + [SelectChoice(c.value, c.value.capitalize()) for c in Cohort],
        default="__none__",
        widget=GovRadioInput(),
    )
    override_reason = TextAreaField("Reason for the override", widget=GovTextArea())
    submit = SubmitField("Record the assessment", widget=GovSubmitInput())
