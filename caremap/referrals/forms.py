from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from caremap.episodes.enums import (
    AdmissionCondition,
    CareHomeType,
    Day91Outcome,
    EpisodeKind,
    HomelessnessOutcome,
    SupportType,
)
from caremap.referrals.enums import ReferralSource, Urgency
from caremap.web.forms import GovDateField, HiddenIntegerField

SOURCE_CHOICES = [SelectChoice(s.value, s.label) for s in ReferralSource]
URGENCY_CHOICES = [
    SelectChoice(Urgency.EMERGENCY.value, "Emergency: needs a response within hours"),
    SelectChoice(Urgency.URGENT.value, "Urgent: within a couple of days"),
    SelectChoice(Urgency.ROUTINE.value, "Routine"),
]
YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]
BLANK = SelectChoice("__none__", "Not applicable")


class ReferralForm(FlaskForm):
    source = RadioField(
        validate_choice=False,
        label="Where the referral comes from",
        choices=SOURCE_CHOICES,
        widget=GovRadioInput(),
    )
    referrer_name = StringField("Referrer's name", widget=GovTextInput())
    referrer_organisation = StringField("Referrer's organisation (optional)", widget=GovTextInput())
    referrer_contact = StringField("Referrer's phone or email", widget=GovTextInput())
    needs = SelectMultipleField(
        "Needs", choices=[], widget=GovCheckboxesInput(), description="Choose all that apply"
    )
    details = TextAreaField(
        "What is happening (optional)",
        widget=GovTextArea(),
        description="In the person's words where you can. Their story travels with the referral.",
    )
    urgency = RadioField(
        validate_choice=False, label="How urgent", choices=URGENCY_CHOICES, widget=GovRadioInput()
    )
    consent_to_share = RadioField(
        validate_choice=False,
        label="Has the person agreed to this referral being shared?",
        choices=YES_NO,
        widget=GovRadioInput(),
    )
    preview = SubmitField("Preview where it goes", widget=GovSubmitInput())
    send = SubmitField("Send referral", widget=GovSubmitInput())


class DeclineForm(FlaskForm):
    reason = TextAreaField("Why the referral is declined", widget=GovTextArea())
    version = HiddenIntegerField()
    submit = SubmitField("Decline", widget=GovSubmitInput())


class RedirectForm(FlaskForm):
    service = SelectField("Send it to", choices=[], widget=GovSelect())
    reason = TextAreaField("Why it should go there", widget=GovTextArea())
    version = HiddenIntegerField()
    submit = SubmitField("Redirect", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    version = HiddenIntegerField()
    key_worker_id = SelectField(
        "Lead key worker",
        choices=[],
        validate_choice=False,
        widget=GovSelect(),
        description="Smallest caseload first",
    )
    submit = SubmitField("Accept", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = TextAreaField("Outcome", widget=GovTextArea())
    version = HiddenIntegerField()
    submit = SubmitField("Close the referral", widget=GovSubmitInput())


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
