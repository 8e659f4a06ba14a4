from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice

from caremap.auth.enums import Role, TokenScope
from caremap.ui.forms import HiddenIntegerField

ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]


class SignInForm(FlaskForm):
    email = StringField("Email address", widget=GovTextInput())
    password = PasswordField("Password", widget=GovPasswordInput())
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", widget=GovPasswordInput())
    new_password = PasswordField(
        "New password", widget=GovPasswordInput(), description="At least 12 characters"
    )
    confirm_password = PasswordField("Confirm new password", widget=GovPasswordInput())
    submit = SubmitField("Change password", widget=GovSubmitInput())


class CreateTokenForm(FlaskForm):
    name = StringField(
        "What the token is for",
        widget=GovTextInput(),
        description="For example, GP system integration",
    )
    scope = RadioField(
        "What the token may do",
        choices=[SelectChoice(scope.value, scope.label) for scope in TokenScope],
        default=TokenScope.FULL.value,
        widget=GovRadioInput(),
        description="A system that only reads records needs only the FHIR view",
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class CreateUserForm(FlaskForm):
    full_name = StringField("Full name", widget=GovTextInput())
    email = StringField("Email address", widget=GovTextInput())
    role = SelectField("Role", choices=ROLE_CHOICES, widget=GovSelect())
    team = SelectField("Team", choices=[], widget=GovSelect())
    password = PasswordField(
        "Temporary password",
        widget=GovPasswordInput(),
        description="At least 12 characters; ask them to change it",
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())


class UpdateUserForm(FlaskForm):
    full_name = StringField("Full name", widget=GovTextInput())
    role = SelectField("Role", choices=ROLE_CHOICES, widget=GovSelect())
    team = SelectField("Team", choices=[], widget=GovSelect())
    is_active = BooleanField("Account is active", widget=GovCheckboxInput())
    is_team_lead = BooleanField(
        "Leads the team (sees the team's overdue work)", widget=GovCheckboxInput()
    )
    version = HiddenIntegerField()
    submit = SubmitField("Save", widget=GovSubmitInput())
