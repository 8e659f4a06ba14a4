from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
)
from wtforms import RadioField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.safeguarding.enums import (
    SAC_SOURCES,
    AbuseCategory,
    ActionResult,
    Capacity,
    LackedCapacity,
    MeetingKind,
    MspAsked,
    OutcomesAchieved,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    TriageDecision,
)
from caremap.safeguarding.schemas import (
    ActionArgs,
    ConcludeArgs,
    MeetingArgs,
    RaiseConcernArgs,
    ShareSummaryArgs,
    TriageArgs,
)
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField

YES_NO = [SelectChoice("true", "Yes"), SelectChoice("false", "No")]
# SAC's definition of a service provider as a source of risk (SG2 case details).
SOURCE_HINT = (
    "A service provider is paid, contracted or commissioned to provide social care, whoever "
    "funds it; NHS staff, GPs and the council's own assessors are 'other'"
)


def _choices(members):
    return [SelectChoice(member.value, member.label) for member in members]


def _radios(label: str, choices, description: str = "") -> RadioField:
    # An empty description, never None: the widget would print "None" as the hint.
    return RadioField(
        validate_choice=False,
        label=label,
        choices=choices,
        widget=GovRadioInput(),
        description=description,
    )


class RaiseConcernForm(FlaskForm):
    categories = SelectMultipleField(
        "What kind of abuse or neglect?",
        choices=_choices(AbuseCategory),
        widget=GovCheckboxesInput(),
        description="Choose all that apply",
    )
    what_happened = TextAreaField(
        "What happened, or what you saw or were told", widget=CharacterCount(RaiseConcernArgs)
    )
    risk_location = _radios("Where is the risk?", _choices(RiskLocation))
    risk_source = _radios(
        "Who or what is the risk from?",
        _choices(RiskSource),
        SOURCE_HINT,
    )
    immediate_actions = TextAreaField(
        "What have you done to make the person safe now?", widget=CharacterCount(RaiseConcernArgs)
    )
    person_wishes = TextAreaField(
        "What does the person want to happen?",
        widget=CharacterCount(RaiseConcernArgs),
        description="In their words where you can (Making Safeguarding Personal)",
    )
    wishes_not_asked_reason = TextAreaField(
        "If you could not ask them, why not?", widget=CharacterCount(RaiseConcernArgs)
    )
    needs_advocate = _radios("Does the person need an advocate to take part?", YES_NO)
    capacity = _radios("Mental capacity to make decisions about their safety", _choices(Capacity))
    capacity_note = TextAreaField(
        "Anything about capacity (optional)", widget=CharacterCount(RaiseConcernArgs)
    )
    raised_on = GovDateField(
        "Date the concern was raised",
        description="Leave empty for today. If you are writing it up later, give the day it "
        "was raised, for example 27 3 2026",
    )
    submit = SubmitField("Raise the concern", widget=GovSubmitInput())


class TriageForm(FlaskForm):
    version = HiddenIntegerField()
    test_care_and_support_needs = _radios(
        "Does the person have needs for care and support?", YES_NO
    )
    test_abuse_or_neglect = _radios(
        "Are they experiencing, or at risk of, abuse or neglect?", YES_NO
    )
    test_unable_to_protect_self = _radios(
        "Because of those needs, are they unable to protect themselves?", YES_NO
    )
    decision = _radios("Decision", _choices(TriageDecision))
    decision_reason = TextAreaField(
        "Reason (required for no further action)", widget=CharacterCount(TriageArgs)
    )
    signposting = TextAreaField("Signposting given (optional)", widget=CharacterCount(TriageArgs))
    decided_on = GovDateField("Date of the decision", description="Leave empty for today")
    started_on = GovDateField(
        "Date the enquiry started",
        description="For an enquiry only. Leave empty for the day of the decision",
    )
    submit = SubmitField("Record the decision", widget=GovSubmitInput())


class TakeForm(FlaskForm):
    version = HiddenIntegerField()
    submit = SubmitField("Take this concern", widget=GovSubmitInput())


class MeetingForm(FlaskForm):
    kind = _radios("Kind", _choices(MeetingKind))
    held_on = GovDateField("Held on")
    notes = TextAreaField("Notes", widget=CharacterCount(MeetingArgs))
    submit = SubmitField("Record the meeting", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField("Action", widget=CharacterCount(ActionArgs))
    owner_id = SelectField("Owner", choices=[], validate_choice=False, widget=GovSelect())
    due_on = GovDateField("Due")
    submit = SubmitField("Add the action", widget=GovSubmitInput())


class ActionDoneForm(FlaskForm):
    version = HiddenIntegerField()
    submit = SubmitField("Done", widget=GovSubmitInput())


class ConcludeForm(FlaskForm):
    """The conclusion, asking what the Safeguarding Adults Collection counts of it."""

    version = HiddenIntegerField()
    action_result = _radios(
        "Was a risk identified, and was action taken?",
        _choices(ActionResult),
        "For a section 42 enquiry, the Safeguarding Adults Collection counts this",
    )
    risk_outcome = _radios(
        "What happened to the risk?",
        _choices(RiskOutcome),
        "Only if a risk was identified",
    )
    risk_remains_reason = TextAreaField(
        "If the risk remained, why",
        widget=CharacterCount(ConcludeArgs),
        description="Only if it remained",
    )
    lacked_capacity = _radios(
        "Did the person lack capacity to make decisions about the enquiry?",
        _choices(LackedCapacity),
    )
    capacity_support = _radios(
        "Were they supported by an advocate, family member or friend?",
        YES_NO,
        "Only if they lacked capacity",
    )
    msp_asked = _radios(
        "Was the person, or their representative, asked what outcomes they wanted?",
        _choices(MspAsked),
        "Making Safeguarding Personal",
    )
    outcomes_achieved = _radios(
        "Were the outcomes they wanted achieved?",
        _choices(OutcomesAchieved),
        "Only if they expressed outcomes",
    )
    conclusion = TextAreaField("Conclusion (optional)", widget=CharacterCount(ConcludeArgs))
    closed_on = GovDateField("Date the enquiry concluded")
    submit = SubmitField("Conclude the enquiry", widget=GovSubmitInput())


class RiskForm(FlaskForm):
    """A risk the enquiry looks into (SAC type, location and source)."""

    version = HiddenIntegerField()
    risk_type = SelectField(
        "Type of risk", choices=_choices(AbuseCategory), validate_choice=False, widget=GovSelect()
    )
    risk_location = SelectField(
        "Where the risk was",
        choices=_choices(RiskLocation),
        validate_choice=False,
        widget=GovSelect(),
    )
    risk_source = SelectField(
        "Whom the risk came from",
        choices=_choices(SAC_SOURCES),
        validate_choice=False,
        widget=GovSelect(),
        description=SOURCE_HINT,
    )
    submit = SubmitField("Record the risk", widget=GovSubmitInput())


class RemoveRiskForm(FlaskForm):
    version = HiddenIntegerField()
    submit = SubmitField("Remove", widget=GovSubmitInput())


class ShareSummaryForm(FlaskForm):
    version = HiddenIntegerField()
    shared_summary = TextAreaField(
        "What the action owners may read",
        widget=CharacterCount(ShareSummaryArgs),
        description="They see this, the person's name and their own actions, not the "
        "concern's detail",
    )
    submit = SubmitField("Share with the action owners", widget=GovSubmitInput())


class FiguresForm(FlaskForm):
    class Meta:
        csrf = False

    start = GovDateField("From")
    end = GovDateField("To")
    submit = SubmitField("Show", widget=GovSubmitInput())
