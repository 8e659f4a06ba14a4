from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import SelectField, StringField, SubmitField, TextAreaField


def lead_key_worker_field() -> SelectField:
    """Whom to make lead key worker (here, and when a referral is accepted): the view
    offers the service's key workers, smallest caseload first."""
    return SelectField(
        "Lead key worker",
        choices=[],
        validate_choice=False,
        widget=GovSelect(),
        description="Smallest caseload first",
    )


class AssignLeadForm(FlaskForm):
    user_id = lead_key_worker_field()
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


class HandOverForm(FlaskForm):
    to_user_id = SelectField(
        "Hand every person on to", choices=[], validate_choice=False, widget=GovSelect()
    )
    reason = TextAreaField(
        "Why", widget=GovTextArea(), description="For example, leaving the service on 30 November"
    )
    submit = SubmitField("Hand over the whole caseload", widget=GovSubmitInput())
