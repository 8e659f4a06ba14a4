"""The long-term support forms. Choices come from the CLD lists (seed/cld), so a page
offers exactly what the return accepts; the domain's Args validate what comes back."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.longterm.enums import AssessmentKind
from caremap.longterm.lists import values
from caremap.longterm.schemas import RecordAssessmentArgs
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField

NOT_KNOWN = SelectChoice("__none__", "Not known")
YES_NO_NOT_KNOWN = [SelectChoice("true", "Yes"), SelectChoice("false", "No"), NOT_KNOWN]


def _select(label: str, list_name: str, *, blank: str = "Not known", **kwargs) -> SelectField:
    return SelectField(
        label,
        validate_choice=False,
        choices=[SelectChoice("", blank), *(SelectChoice(v, v) for v in values(list_name))],
        widget=GovSelect(),
        **kwargs,
    )


def _radios(label: str, list_name: str) -> RadioField:
    return RadioField(
        label,
        validate_choice=False,
        choices=[SelectChoice(v, v) for v in values(list_name)],
        widget=GovRadioInput(),
    )


def _yes_no(label: str) -> RadioField:
    return RadioField(
        label,
        validate_choice=False,
        choices=YES_NO_NOT_KNOWN,
        default="__none__",
        widget=GovRadioInput(),
    )


def _number(label: str, **kwargs) -> StringField:
    # text, not a number box: the Args give the error ("must be between 0 and 168")
    return StringField(label, widget=GovTextInput(), **kwargs)


def _wemwbs() -> StringField:
    return _number(
        "WEMWBS score (optional)",
        description="The Warwick-Edinburgh Mental Wellbeing Scale total, 14 to 70, if the"
        " person completed the 14 statements.",
    )


def _linked(label: str) -> SelectField:
    """A choice of the person's own rows (filled by the view)."""
    return SelectField(label, validate_choice=False, choices=[], widget=GovSelect())


class ProfileForm(FlaskForm):
    client_type = _select("Client type", "client_type")
    primary_support_reason = _select("Primary support reason", "primary_support_reason")
    accommodation_status = _select("Accommodation status", "accommodation_status")
    employment_status = _select("Employment status", "employment_status")
    ethnicity = _select("Ethnicity", "ethnicity")
    visual_impairment = _select("Visual impairment", "impairment")
    hearing_impairment = _select("Hearing impairment", "impairment")
    dementia = _yes_no("Dementia")
    autism = _yes_no("Autism")
    has_unpaid_carer = _yes_no("Has an unpaid carer")
    client_funding_status = _select("Client funding status", "client_funding_status")
    version = HiddenIntegerField()
    submit = SubmitField("Save the profile", widget=GovSubmitInput())


class _EventForm(FlaskForm):
    started_on = GovDateField("Start date")
    ended_on = GovDateField("End date", description="Leave blank while it goes on.")
    outcome = _select("Outcome (once ended)", "event_outcome", blank="Not ended yet")
    # Assessments, packages and reviews take notes of one length (the column's); a test
    # holds every Args of this domain with a `description` to the same limit.
    description = TextAreaField("Notes", widget=CharacterCount(RecordAssessmentArgs))
    version = HiddenIntegerField()


class AssessmentForm(_EventForm):
    kind = RadioField(
        "Assessment",
        validate_choice=False,
        choices=[SelectChoice(k.value, k.label) for k in AssessmentKind],
        default=AssessmentKind.NEEDS.value,
        widget=GovRadioInput(),
    )
    assessment_type = _radios("Assessment type", "assessment_type")
    method = _radios("Method of assessment", "method_of_assessment")
    eligible_needs_identified = _yes_no("Eligible needs identified")
    referral_id = _linked("The referral it answers")
    hours_caring_per_week = _number("Hours caring per week (carer's assessment)")
    adults_cared_for = _number("Number of adults cared for (carer's assessment)")
    cared_for_person_id = _number(
        "Record number of the person cared for (carer's assessment)",
        description="The number at the end of their record's address, if they are on the record.",
    )
    wemwbs_score = _wemwbs()
    submit = SubmitField("Save the assessment", widget=GovSubmitInput())


class PackageForm(_EventForm):
    service_type = _select("Service type", "service_type", blank="Choose")
    service_component = _select("Service component", "service_component", blank="Choose")
    delivery_mechanism = _select("Delivery mechanism", "delivery_mechanism")
    provider_name = StringField("Provider", widget=GovTextInput())
    provider_cqc_location_id = StringField(
        "Provider's CQC location ID", description="Like 1-101669457.", widget=GovTextInput()
    )
    planned_units_per_week = _number("Planned units per week")
    unit_cost = _number("Unit cost (£)")
    cost_frequency = _select("Cost frequency (unit type)", "cost_frequency")
    funded_by = _select("Who funds it", "client_funding_status")
    assessment_id = _linked("The assessment it follows")
    submit = SubmitField("Save the care package", widget=GovSubmitInput())


class ReviewForm(_EventForm):
    review_reason = _select("Review reason", "review_reason", blank="Choose")
    method = _radios("Method of review", "method_of_review")
    outcomes_achieved = _select(
        "Outcomes achieved (planned reviews)", "review_outcomes_achieved", blank="Not yet"
    )
    care_package_id = _linked("The care package reviewed")
    wemwbs_score = _wemwbs()
    submit = SubmitField("Save the review", widget=GovSubmitInput())


class EndEventForm(FlaskForm):
    ended_on = GovDateField("End date")
    outcome = _select("Outcome", "event_outcome", blank="Choose")
    version = HiddenIntegerField()
    submit = SubmitField("End it", widget=GovSubmitInput())


class EndReviewForm(EndEventForm):
    outcomes_achieved = _select(
        "Outcomes achieved (planned reviews)", "review_outcomes_achieved", blank="Not yet"
    )
