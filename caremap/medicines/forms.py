from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice

from caremap.medicines.enums import MedicineSource, Route
from caremap.medicines.schemas import MedicationReviewArgs
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField


class MedicineForm(FlaskForm):
    name = StringField("Medicine", widget=GovTextInput(), description="For example, metformin")
    dmd_code = StringField("dm+d code (optional)", widget=GovTextInput())
    dose = StringField("Dose", widget=GovTextInput(), description="For example, 500 mg")
    route = RadioField(
        validate_choice=False,
        label="Route",
        choices=[SelectChoice(r.value, r.label) for r in Route],
        widget=GovRadioInput(),
    )
    frequency = StringField(
        "How often", widget=GovTextInput(), description="For example, twice a day"
    )
    started_on = GovDateField("Started on")
    source = RadioField(
        validate_choice=False,
        label="Where this comes from",
        choices=[SelectChoice(s.value, s.label) for s in MedicineSource],
        widget=GovRadioInput(),
    )
    # shown once the medicine is found already taken: a second course is said, not assumed
    confirm_second_course = BooleanField(
        "Yes, this is a second course of the same medicine", widget=GovCheckboxInput()
    )
    submit = SubmitField("Record the medicine", widget=GovSubmitInput())


class StopForm(FlaskForm):
    stopped_on = GovDateField("Stopped on")
    reason = StringField("Why", widget=GovTextInput())
    version = HiddenIntegerField()
    submit = SubmitField("Stop", widget=GovSubmitInput())


class MedicationReviewForm(FlaskForm):
    reviewed_on = GovDateField("Reviewed on")
    stopped = SelectMultipleField(
        "Medicines stopped at the review",
        choices=[],
        validate_choice=False,
        widget=GovCheckboxesInput(),
        coerce=int,
    )
    changes = TextAreaField("Other changes (optional)", widget=CharacterCount(MedicationReviewArgs))
    outcome = TextAreaField("Outcome", widget=CharacterCount(MedicationReviewArgs))
    submit = SubmitField("Record the review", widget=GovSubmitInput())


class ThresholdForm(FlaskForm):
    flag_at = StringField("Flag polypharmacy at this many active medicines", widget=GovTextInput())
    high_at = StringField("Flag as high risk at this many", widget=GovTextInput())
    version = HiddenIntegerField()
    submit = SubmitField("Save and recount", widget=GovSubmitInput())
