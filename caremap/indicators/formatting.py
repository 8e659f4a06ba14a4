"""How an indicator's figures are written for people: by unit, the same on every page and export."""

from __future__ import annotations

from caremap.indicators.definitions import Definition

UNIT_LABELS = {
    "percent": "%",
    "rate_per_100000": "per 100,000",
    "count": "count",
    "median_days": "median days",
    "mean": "mean score",
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


# The 97.5th centile of the standard normal distribution: a two-sided 95% interval.
Z_95 = 1.959963984540054
# Below this many people a figure is shown but not rated (INDICATOR_MIN_PEOPLE overrides):
# one person more or less would swing a small figure between green and red.
MIN_PEOPLE = 10


def wilson_interval(successes: float, total: float, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion, as percentages (low, high).

    Wilson, E. B. (1927) "Probable inference, the law of succession, and statistical
    inference", JASA 22(158): 209-212. Unlike the normal approximation it stays inside
    0-100% and behaves at small counts and at 0% or 100%.
    """
    if total <= 0:
        raise ValueError("a proportion needs people to divide by")
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * ((p * (1 - p) / total + z * z / (4 * total * total)) ** 0.5) / denominator
    return max(0.0, centre - half) * 100, min(1.0, centre + half) * 100


def people_counted(result) -> float | None:
    """How many people (or events) a figure rests on: a percentage's or a median's
    denominator, a rate's or a count's numerator."""
    if result.definition.unit in ("percent", "median_days", "mean"):
        return result.denominator
    return result.numerator


def too_few_to_rate(result, minimum: int = MIN_PEOPLE) -> bool:
    counted = people_counted(result)
    return result.value is not None and counted is not None and counted < minimum


def interval_text(result) -> str | None:
    """'95% confidence interval 78.1% to 86.2%' for a percentage with people behind it."""
    if result.definition.unit != "percent" or not result.denominator or result.numerator is None:
        return None
    low, high = wilson_interval(result.numerator, result.denominator)
    return f"95% confidence interval {low:,.1f}% to {high:,.1f}%"
