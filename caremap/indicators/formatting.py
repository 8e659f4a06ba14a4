"""How an indicator's figures are written for people: by unit, the same on every page and export."""

from __future__ import annotations

from caremap.indicators.definitions import Definition

UNIT_LABELS = {
    "percent": "%",
    "rate_per_100000": "per 100,000",
    "count": "count",
    "median_days": "median days",
}
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}
RAG_TAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
}


def number(value: float | None) -> str:
    """1,234 or 1,234.5: whole numbers without a decimal point."""
    if value is None:
        return "–"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def format_value(value: float | None, unit: str) -> str:
    """82.5% · 649.7 per 100,000 · 1,234 · 3.5 days; a dash when there is no value."""
    if value is None:
        return "–"
    if unit == "percent":
        return f"{value:,.1f}%"
    if unit == "rate_per_100000":
        return f"{value:,.1f} per 100,000"
    if unit == "median_days":
        return f"{value:,.1f} days"
    return number(value)


def format_comparator(definition: Definition) -> str | None:
    """'England 2013/14: 82.5%', or None when the documents give no comparator."""
    if definition.comparator is None:
        return None
    figure = definition.comparator
    return f"{figure.label}: {format_value(figure.value, definition.unit)}"


def format_baseline(definition: Definition) -> str | None:
    if definition.baseline is None:
        return None
    figure = definition.baseline
    return f"{figure.label}: {format_value(figure.value, definition.unit)}"


def direction(definition: Definition) -> str:
    if definition.higher_is_better is None:
        return "Neither: it describes demand, not performance"
    return "Higher is better" if definition.higher_is_better else "Lower is better"


def present(result) -> dict:
    """An IndicatorResult as the API and JSON give it, with the value written as pages do."""
    return {**result.as_dict(), "value_text": format_value(result.value, result.definition.unit)}
