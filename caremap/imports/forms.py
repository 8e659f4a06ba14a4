"""The upload form and the held-match decisions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from caremap.imports.enums import ImportKind
from caremap.imports.schemas import CreateArgs, RejectArgs
from caremap.ui.forms import CharacterCount, HiddenIntegerField


class UploadForm(FlaskForm):
    kind = RadioField(
        "What the file holds",
        choices=[SelectChoice(k.value, k.label) for k in ImportKind],
        default=ImportKind.PEOPLE.value,
        widget=GovRadioInput(),
    )
    file = FileField(
        "CSV file",
        widget=GovFileInput(),
        description="UTF-8 CSV, columns as in schemas/import-people.schema.json or "
        "schemas/import-events.schema.json",
    )
    submit = SubmitField("Import", widget=GovSubmitInput())


class LinkForm(FlaskForm):
    person_id = HiddenIntegerField()
    version = HiddenIntegerField()
    submit = SubmitField("Link to this record", widget=GovSubmitInput())


class CreateForm(FlaskForm):
    version = HiddenIntegerField()
    reason = TextAreaField(
        "Why this is a different person (only if a record has the very same name and date "
        "of birth)",
        widget=CharacterCount(CreateArgs),
    )
    submit = SubmitField("Create a new record", widget=GovSubmitInput())


class RejectForm(FlaskForm):
    version = HiddenIntegerField()
    reason = TextAreaField("Why the row is rejected", widget=CharacterCount(RejectArgs))
    submit = SubmitField("Reject", widget=GovSubmitInput())
