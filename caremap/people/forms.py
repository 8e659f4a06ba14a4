"""Page forms for the person record. Validation is the Args schemas' (see web/forms.py)."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from markupsafe import Markup, escape
from wtforms import BooleanField, Field, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput

from caremap.people.enums import ConsentStatus, Sex
from caremap.people.schemas import (
    ConsentArgs,
    IdentityFields,
    MergeArgs,
    RegisterPersonArgs,
    RelatedPersonArgs,
    StoryArgs,
)
from caremap.ui.forms import CharacterCount, GovDateField, HiddenIntegerField

SEX_CHOICES = [SelectChoice(s.value, s.label) for s in Sex]
CONSENT_CHOICES = [
    SelectChoice(ConsentStatus.GIVEN.value, "Given: the person agrees to information being shared"),
    SelectChoice(ConsentStatus.REFUSED.value, "Refused"),
    SelectChoice(ConsentStatus.WITHDRAWN.value, "Withdrawn: given before, now taken back"),
]
YES_NO_UNKNOWN = [
    SelectChoice("true", "Yes"),
    SelectChoice("false", "No"),
    SelectChoice("__none__", "Not asked yet"),
]


class SearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    # The one box: what was typed decides what is searched (people/typed_query.py).
    q = StringField(
        "Name, NHS number, date of birth or postcode",
        widget=GovTextInput(),
        description="For example, Margaret Thompson, 943 476 5919, 27/3/1950 or PL4 8AA. "
        "Part of a name will do, and spelling mistakes are allowed.",
    )
    # Links and older bookmarks may still name a field; the page shows only the box.
    nhs_number = StringField("NHS number")
    date_of_birth = GovDateField("Date of birth")
    postcode = StringField("Postcode")
    submit = SubmitField("Search", widget=GovSubmitInput())


class IdentityForm(FlaskForm):
    given_name = StringField("First name", widget=GovTextInput())
    family_name = StringField("Last name", widget=GovTextInput())
    preferred_name = StringField("Preferred name (optional)", widget=GovTextInput())
    date_of_birth = GovDateField("Date of birth", description="For example, 27 3 1950")
    sex = RadioField(
        validate_choice=False,
        label="Sex",
        choices=SEX_CHOICES,
        default="unknown",
        widget=GovRadioInput(),
    )
    nhs_number = StringField(
        "NHS number (optional)",
        widget=GovTextInput(),
        description="10 digits. Leave blank if not known",
    )
    address_line_1 = StringField("Address line 1 (optional)", widget=GovTextInput())
    address_line_2 = StringField("Address line 2 (optional)", widget=GovTextInput())
    town = StringField("Town or city (optional)", widget=GovTextInput())
    postcode = StringField("Postcode (optional)", widget=GovTextInput())
    no_fixed_abode = BooleanField("No fixed abode", widget=GovCheckboxInput())
    phone = StringField("Phone (optional)", widget=GovTextInput())
    email = StringField("Email (optional)", widget=GovTextInput())
    gp_practice_code = StringField(
        "GP practice ODS code (optional)", widget=GovTextInput(), description="For example, L83001"
    )
    gp_practice_name = StringField("GP practice name (optional)", widget=GovTextInput())
    language = StringField("Main language (optional)", widget=GovTextInput())
    interpreter_needed = BooleanField("Needs an interpreter", widget=GovCheckboxInput())
    communication_needs = TextAreaField(
        "Communication needs (optional)",
        widget=CharacterCount(IdentityFields),
        description="For example, British Sign Language, easy read, hearing loop",
    )


class HiddenIdsField(Field):
    """Record ids a page showed, posted back as shown: one hidden input each."""

    def __init__(self, label: str | None = None, **kwargs) -> None:
        super().__init__(label, default=list, **kwargs)

    def widget(self, field: Field, **_) -> Markup:
        return Markup("").join(
            Markup('<input type="hidden" name="{}" value="{}">').format(field.name, escape(i))
            for i in field.data or []
        )

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            self.data = [int(v) for v in valuelist if v.strip()]
        except ValueError:
            self.data = []
            raise ValueError("The form was damaged: reload the page and try again") from None


class RegisterForm(IdentityForm):
    # Shown when a live record has this very name and date of birth.
    not_the_same_person_as = HiddenIdsField("Records with the same name and date of birth")
    reason = TextAreaField(
        "If this is a different person, say why",
        widget=CharacterCount(RegisterPersonArgs),
        description="For example, a different NHS number on the GP record, or a different "
        "address and next of kin. This is shown on both records.",
    )
    confirm_no_duplicate = BooleanField(
        "I have checked these records and none of them is this person", widget=GovCheckboxInput()
    )
    submit = SubmitField("Register", widget=GovSubmitInput())


class EditIdentityForm(IdentityForm):
    date_of_death = GovDateField("Date of death (if they have died)")
    version = HiddenIntegerField()
    # The values the editor was shown, signed: only what they changed is saved.
    base = StringField(widget=HiddenInput())
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class StoryForm(FlaskForm):
    text = TextAreaField(
        "My story",
        widget=CharacterCount(StoryArgs),
        description="What the person wants every worker to know, in their words",
    )
    based_on_id = HiddenIntegerField()
    submit = SubmitField("Save my story", widget=GovSubmitInput())


class ConsentForm(FlaskForm):
    status = RadioField(
        validate_choice=False,
        label="Information-sharing consent",
        choices=CONSENT_CHOICES,
        widget=GovRadioInput(),
    )
    decided_on = GovDateField("Date of the decision")
    note = TextAreaField(
        "Note (optional)",
        widget=CharacterCount(ConsentArgs),
        description="For example, what they agreed to share and with whom",
    )
    based_on_id = HiddenIntegerField()
    submit = SubmitField("Record consent", widget=GovSubmitInput())


class RelatedPersonForm(FlaskForm):
    name = StringField("Name", widget=GovTextInput())
    relationship_to_person = StringField(
        "Relationship",
        widget=GovTextInput(),
        description="For example, daughter, neighbour, partner",
    )
    phone = StringField("Phone (optional)", widget=GovTextInput())
    email = StringField("Email (optional)", widget=GovTextInput())
    address = StringField("Address (optional)", widget=GovTextInput())
    is_carer = BooleanField("Is an unpaid carer for this person", widget=GovCheckboxInput())
    is_next_of_kin = BooleanField("Is next of kin", widget=GovCheckboxInput())
    involved_in_care = RadioField(
        validate_choice=False,
        label="Was the carer included or consulted in discussions about the person's care?",
        choices=YES_NO_UNKNOWN,
        default="__none__",
        widget=GovRadioInput(),
    )
    notes = TextAreaField("Notes (optional)", widget=CharacterCount(RelatedPersonArgs))
    submit = SubmitField("Add", widget=GovSubmitInput())


class MergeForm(FlaskForm):
    duplicate_id = HiddenIntegerField()
    reason = TextAreaField(
        "Why these records are the same person",
        widget=CharacterCount(MergeArgs),
        description="For example, same NHS number on the GP record; confirmed with the person",
    )
    submit = SubmitField("Merge the records", widget=GovSubmitInput())
