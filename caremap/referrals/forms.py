from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
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
from caremap.referrals.schemas import CloseArgs, DeclineArgs, RedirectArgs, ReferralPageArgs
from caremap.routing.enums import ReferralSource, Urgency
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField

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
    # Which needs are allowed is the operation's to judge (unknown, or not for the
    # person's age): it says why in words, where WTForms would only say "not a valid choice".
    needs = SelectMultipleField(
        "Needs",
        choices=[],
        validate_choice=False,
        widget=GovCheckboxesInput(),
        description="Choose all that apply",
    )
    discharge_on = GovDateField(
        "Expected discharge date",
        description="If the person is leaving hospital. For example, 27 3 2026.",
    )
    discharge_ward = StringField(
        "Ward they are leaving from",
        description="If the person is leaving hospital. For example, Ward 5, Derriford.",
        widget=CharacterCount(ReferralPageArgs),
    )
    details = TextAreaField(
        "What is happening (optional)",
        widget=CharacterCount(ReferralPageArgs),
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


def _when(what: str, *, form: str) -> tuple[GovDateField, StringField]:
    """A day and a time for something that happened before it was entered; both blank:
    now. Each form's pair has ids of its own, since one page shows several forms."""
    return (
        GovDateField(
            f"Date {what} (if not today)",
            id=f"{form}-on",
            description="For example, 27 3 2026. Leave blank if it is happening now.",
        ),
        StringField(
            f"Time {what}",
            id=f"{form}-time",
            description="24-hour clock, for example 14:30. Needed on the day the referral "
            "came in, the day its answer was due, and today; leave blank if it is now.",
            widget=GovTextInput(),
        ),
    )


class DeclineForm(FlaskForm):
    reason = TextAreaField("Why the referral is declined", widget=CharacterCount(DeclineArgs))
    answered_on, answered_time = _when("it was declined", form="decline")
    version = HiddenIntegerField()
    submit = SubmitField("Decline", widget=GovSubmitInput())


class RedirectForm(FlaskForm):
    service = SelectField("Send it to", choices=[], widget=GovSelect())
    reason = TextAreaField("Why it should go there", widget=CharacterCount(RedirectArgs))
    answered_on, answered_time = _when("it was redirected", form="redirect")
    version = HiddenIntegerField()
    submit = SubmitField("Redirect", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    version = HiddenIntegerField()
    key_worker_id = lead_key_worker_field()
    answered_on, answered_time = _when("it was accepted", form="accept")
    submit = SubmitField("Accept", widget=GovSubmitInput())


class FirstContactForm(FlaskForm):
    version = HiddenIntegerField()
    contacted_on, contacted_time = _when("contact was made", form="contact")
    submit = SubmitField("Record first contact", widget=GovSubmitInput())


class CloseForm(FlaskForm):
    outcome = TextAreaField("Outcome", widget=CharacterCount(CloseArgs))
    version = HiddenIntegerField()
    submit = SubmitField("Close the referral", widget=GovSubmitInput())
