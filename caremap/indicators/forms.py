"""The indicator pages' forms: the period and filter controls, snapshots, populations."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice

from caremap.ui.forms import HiddenIntegerField

TREND_CHOICES = [
    SelectChoice("month", "Last 12 months"),
    SelectChoice("quarter", "Last 8 quarters"),
]


def _select(label: str) -> SelectField:
    return SelectField(label, choices=[], validate_choice=False, widget=GovSelect())


class FiltersForm(FlaskForm):
    class Meta:
        csrf = False

    period = _select("Period")
    strand = _select("Strand")
    service = _select("Service")
    area = _select("Area")
    submit = SubmitField("Show figures", widget=GovSubmitInput())

    def set_choices(self, periods, filters) -> None:
        self.period.choices = [SelectChoice(code, label) for code, label in periods]
        if self.period.data and self.period.data not in {code for code, _ in periods}:
            self.period.choices.append(SelectChoice(self.period.data, self.period.data))
        for name, label in (
            ("strand", "All strands"),
            ("service", "All services"),
            ("area", "All areas"),
        ):
            getattr(self, name).choices = [
                SelectChoice("", label),
                *(SelectChoice(code, text) for code, text in filters[name]),
            ]


class DashboardForm(FiltersForm):
    trend = RadioField(
        "Trend on each tile",
        choices=[SelectChoice("", "No trend (fastest)"), *TREND_CHOICES],
        default="",
        validate_choice=False,
        widget=GovRadioInput(),
    )


class DetailForm(FiltersForm):
    trend = RadioField(
        "Trend",
        choices=TREND_CHOICES,
        default="quarter",
        validate_choice=False,
        widget=GovRadioInput(),
    )


class _PeriodAndFilters(FlaskForm):
    """The dashboard's period and filters, carried by a button's form."""

    period = HiddenField()
    strand = HiddenField()
    service = HiddenField()
    area = HiddenField()


class SnapshotForm(_PeriodAndFilters):
    label = StringField(
        "What is it for? (optional)",
        widget=GovTextInput(),
        description="For example: Board, December",
    )
    submit = SubmitField("Take a snapshot for the board", widget=GovSubmitInput())


class RecomputeForm(_PeriodAndFilters):
    label = HiddenField()
    submit = SubmitField("Recompute now", widget=GovSubmitInput())


class PopulationForm(FlaskForm):
    population = StringField("Population", widget=GovTextInput())
    source = StringField(
        "Source", widget=GovTextInput(), description="For example: ONS mid-2024 estimates"
    )
    version = HiddenIntegerField()
    submit = SubmitField("Save", widget=GovSubmitInput())
