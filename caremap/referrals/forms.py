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

from caremap.careteam.forms import lead_key_worker_field
from caremap.episodes.forms import YES_NO
from caremap.routing.enums import ReferralSource, Urgency
from caremap.ui.forms import HiddenIntegerField

SOURCE_CHOICES = [SelectChoice(s.value, s.label) for s in ReferralSource]
URGENCY_CHOICES = [
    SelectChoice(Urgency.EMERGENCY.value, "Emergency: needs a response within hours"),
    SelectChoice(Urgency.URGENT.value, "Urgent: within a couple of days"),
    SelectChoice(Urgency.ROUTINE.value, "Routine"),
]


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
    key_worker_id = lead_key_worker_field()
    submit = SubmitField("Accept", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = TextAreaField("Outcome", widget=GovTextArea())
    version = HiddenIntegerField()
    submit = SubmitField("Close the referral", widget=GovSubmitInput())
