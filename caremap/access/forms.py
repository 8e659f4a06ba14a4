"""The break-glass request and its admin review."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.access.enums import ReviewOutcome
from caremap.access.schemas import BreakGlassArgs, ReviewArgs
from caremap.ui.forms import CharacterCount


class BreakGlassForm(FlaskForm):
    reason = TextAreaField(
        "Why you need to see this record now",
        widget=CharacterCount(BreakGlassArgs),
        description="For example: unconscious in ED, need medicines and allergies. "
        "An admin reviews every use.",
    )
    submit = SubmitField("Open the record in an emergency", widget=GovSubmitInput())


class ReviewForm(FlaskForm):
    note = TextAreaField("Review note", widget=CharacterCount(ReviewArgs))
    submit = SubmitField("Mark as reviewed", widget=GovSubmitInput())


class BreakGlassReviewForm(ReviewForm):
    outcome = RadioField(
        "Was the emergency access appropriate?",
        choices=[SelectChoice(o.value, o.label) for o in ReviewOutcome],
        validate_choice=False,
        widget=GovRadioInput(),
    )
