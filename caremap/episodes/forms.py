"""Starting, ending and following up an episode of care on a page."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.episodes.enums import (
    AdmissionCondition,
    CareHomeType,
    Day91Outcome,
    EpisodeKind,
    HomelessnessOutcome,
    SupportType,
)
from caremap.ui.forms import GovDateField, HiddenIntegerField

YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]
BLANK = SelectChoice("__none__", "Not applicable")


class StartEpisodeForm(FlaskForm):
    kind = RadioField(
        validate_choice=False,
        label="Kind of episode",
        choices=[SelectChoice(k.value, k.label) for k in EpisodeKind],
        default=EpisodeKind.GENERAL.value,
        widget=GovRadioInput(),
    )
    started_on = GovDateField("Start date")
    discharged_on = GovDateField("Hospital discharge date (reablement only)")
    is_emergency = RadioField(
        validate_choice=False,
        label="Emergency admission? (hospital admission only)",
        choices=[*YES_NO, BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )
    discharge_ready_on = GovDateField("Medically ready for discharge on (hospital admission only)")
    admission_condition = RadioField(
        validate_choice=False,
        label="What the admission was for (hospital admission only)",
        choices=[*[SelectChoice(c.value, c.label) for c in AdmissionCondition], BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )
    care_home_type = RadioField(
        validate_choice=False,
        label="Care home (care home admission only)",
        choices=[*[SelectChoice(t.value, t.value.capitalize()) for t in CareHomeType], BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )
    is_permanent = RadioField(
        validate_choice=False,
        label="Permanent? (care home admission only)",
        choices=[*YES_NO, BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )
    moved_from_care_home = RadioField(
        validate_choice=False,
        label="Moving from another care home? (care home admission only)",
        choices=[*YES_NO, BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )
    support_type = RadioField(
        validate_choice=False,
        label="Support (self-directed support only)",
        choices=[
            *[SelectChoice(t.value, t.value.replace("_", " ").capitalize()) for t in SupportType],
            BLANK,
        ],
        default="__none__",
        widget=GovRadioInput(),
    )
    submit = SubmitField("Start the episode", widget=GovSubmitInput())


class EndEpisodeForm(FlaskForm):
    ended_on = GovDateField("End date")
    end_reason = TextAreaField("Why it ended, and the outcome", widget=GovTextArea())
    homelessness_outcome = RadioField(
        validate_choice=False,
        label="Homelessness outcome (homelessness prevention only)",
        choices=[
            *[
                SelectChoice(o.value, o.value.replace("_", " ").capitalize())
                for o in HomelessnessOutcome
            ],
            BLANK,
        ],
        default="__none__",
        widget=GovRadioInput(),
    )
    version = HiddenIntegerField()
    submit = SubmitField("End the episode", widget=GovSubmitInput())


class Day91Form(FlaskForm):
    outcome = RadioField(
        validate_choice=False,
        label="Where is the person 91 days after discharge?",
        choices=[
            SelectChoice(o.value, o.value.replace("_", " ").capitalize()) for o in Day91Outcome
        ],
        widget=GovRadioInput(),
    )
    version = HiddenIntegerField()
    submit = SubmitField("Record", widget=GovSubmitInput())
