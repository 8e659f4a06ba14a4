"""Starting, ending and following up an episode of care on a page."""

import enum

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
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
from caremap.episodes.schemas import EndEpisodeArgs
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField

YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]
BLANK = SelectChoice("__none__", "Not applicable")


def _worded(values: type[enum.StrEnum]) -> list[SelectChoice]:
    """A code list's choices worded from its values (in_care_home: "In care home")."""
    return [SelectChoice(v.value, v.value.replace("_", " ").capitalize()) for v in values]


def _only_for(label: str, choices: list[SelectChoice]) -> RadioField:
    """Radios for a field that applies to some kinds of episode only: "Not applicable"
    is offered and chosen at first."""
    return RadioField(
        validate_choice=False,
        label=label,
        choices=[*choices, BLANK],
        default="__none__",
        widget=GovRadioInput(),
    )


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
    is_emergency = _only_for("Emergency admission? (hospital admission only)", YES_NO)
    discharge_ready_on = GovDateField("Medically ready for discharge on (hospital admission only)")
    admission_condition = _only_for(
        "What the admission was for (hospital admission only)",
        [SelectChoice(c.value, c.label) for c in AdmissionCondition],
    )
    care_home_type = _only_for(
        "Care home (care home admission only)",
        [SelectChoice(t.value, t.value.capitalize()) for t in CareHomeType],
    )
    is_permanent = _only_for("Permanent? (care home admission only)", YES_NO)
    moved_from_care_home = _only_for(
        "Moving from another care home? (care home admission only)", YES_NO
    )
    support_type = _only_for("Support (self-directed support only)", _worded(SupportType))
    submit = SubmitField("Start the episode", widget=GovSubmitInput())


class EndEpisodeForm(FlaskForm):
    ended_on = GovDateField("End date")
    end_reason = TextAreaField(
        "Why it ended, and the outcome", widget=CharacterCount(EndEpisodeArgs)
    )
    homelessness_outcome = _only_for(
        "Homelessness outcome (homelessness prevention only)", _worded(HomelessnessOutcome)
    )
    version = HiddenIntegerField()
    submit = SubmitField("End the episode", widget=GovSubmitInput())


class Day91Form(FlaskForm):
    outcome = RadioField(
        validate_choice=False,
        label="Where is the person 91 days after discharge?",
        choices=_worded(Day91Outcome),
        widget=GovRadioInput(),
    )
    outcome_on = GovDateField(
        "The date it happened",
        description="For a death, a hospital stay or a move to a care home. Leave blank "
        "for at home: that is dated today.",
    )
    version = HiddenIntegerField()
    submit = SubmitField("Record", widget=GovSubmitInput())
