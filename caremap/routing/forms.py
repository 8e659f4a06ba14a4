from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField, TextAreaField

from caremap.routing.schemas import RoutingRuleArgs
from caremap.ui.forms import CharacterCount, TextLimit


class RuleForm(FlaskForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="Lower case letters, digits and _; cannot change later",
    )
    name = StringField(
        "Name", widget=GovTextInput(), description="What the rule does, in a sentence"
    )
    description = TextAreaField("Why (optional)", widget=CharacterCount(RoutingRuleArgs))
    priority = StringField(
        "Priority", widget=GovTextInput(), description="Lower comes first in the explanation"
    )
    conditions = TextAreaField(
        "Conditions (JSON)",
        # JSON the schema reads only once parsed, so the form holds its length: ten times
        # the longest seed rule's conditions, written out as this page writes them.
        validators=[TextLimit(2000)],
        widget=CharacterCount(),
        description='For example {"needs_any": ["fall"], "age_min": 65}. '
        "Keys: needs_any, needs_all, "
        "needs_count {codes, min, max}, urgency_in, sources_any, age_min, age_max, areas_any, "
        "open_service_any, no_open_service_any",
    )
    targets = StringField(
        "Target services", widget=GovTextInput(), description="Service codes, separated by commas"
    )
    actions = TextAreaField(
        "Actions (JSON, optional)",
        validators=[TextLimit(1000)],
        widget=CharacterCount(),
        description='For example {"follow_up_days": 91, "episode_kind": "reablement", '
        '"allocate_key_worker": true}',
    )
    is_active = BooleanField("In force", widget=GovCheckboxInput(), default=True)
    preview = SubmitField("Preview against recent referrals", widget=GovSubmitInput())
    save = SubmitField("Save as a new version", widget=GovSubmitInput())
