from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.cohorts.enums import Cohort, Engagement, Stability
from caremap.cohorts.schemas import NeedsAssessmentArgs
from caremap.ui.forms import CharacterCount, GovDateField

YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]


def _choices(enum_cls) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_cls]


def _radios(label: str, choices: list[SelectChoice], **kwargs) -> RadioField:
    return RadioField(
        validate_choice=False, label=label, choices=choices, widget=GovRadioInput(), **kwargs
    )


def _need(label: str) -> RadioField:
    return _radios(label, YES_NO)


class NeedsAssessmentForm(FlaskForm):
    assessed_on = GovDateField("Assessed on")
    homelessness = _need("Homeless or at risk of homelessness")
    substance_misuse = _need("Drug or alcohol misuse")
    offending = _need("Offending")
    mental_health = _need("Mental ill health")
    domestic_abuse = _need("Domestic abuse")
    engagement = _radios("Engagement with support", _choices(Engagement))
    stability = _radios("Stability", _choices(Stability))
    override_cohort = _radios(
        "Override the derived cohort (optional)",
        [SelectChoice("__none__", "No: use the rule"), *_choices(Cohort)],
        default="__none__",
    )
    override_reason = TextAreaField(
        "Reason for the override", widget=CharacterCount(NeedsAssessmentArgs)
    )
    submit = SubmitField("Record the assessment", widget=GovSubmitInput())
