"""Indicator figures as FHIR R4 MeasureReports (one per indicator) in a collection Bundle.

Built here, by caremap, from the same IndicatorResult objects as every other export, so
the figures cannot differ. Each report is a summary of a Measure named by a canonical
URL (https://caremap.example/fhir/Measure/<code>), with the standard population codes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from caremap.indicators.results import IndicatorResult

BASE = "https://caremap.example/fhir"
MEASURE_POPULATION = "http://terminology.hl7.org/CodeSystem/measure-population"
IMPROVEMENT = "http://terminology.hl7.org/CodeSystem/measure-improvement-notation"
UCUM = "http://unitsofmeasure.org"
INDICATOR_CODES = f"{BASE}/CodeSystem/indicators"
PERIOD_NAME = f"{BASE}/StructureDefinition/reporting-period-name"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)

# unit -> (human unit, UCUM code)
SCORE_UNITS = {
    "percent": ("%", "%"),
    "rate_per_100000": ("per 100 000", "/10*5"),
    "count": ("count", "1"),
    "median_days": ("days", "d"),
    "mean": ("score", "{score}"),
}


def measure_url(code: str) -> str:
    """The canonical Measure of an indicator, stable across releases so a receiver can
    match this year's reports with last year's."""
    return f"{BASE}/Measure/{code}"


def _population(code: str, count: float | None) -> dict[str, Any] | None:
    if count is None:
        return None
    return {
        "code": {"coding": [{"system": MEASURE_POPULATION, "code": code}]},
        "count": int(round(count)),
    }


def _period(result: IndicatorResult) -> dict[str, Any]:
    """The period's local calendar days, first to last, named as the pages name it (a
    quarter as the financial year's: "2025-26 Q3"), so a receiver shows the same words."""
    period = result.period
    return {
        "extension": [{"url": PERIOD_NAME, "valueString": period.name}],
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def measure_report(result: IndicatorResult, *, generated_at: dt.datetime) -> dict[str, Any]:
    """One indicator as a FHIR MeasureReport, the shape NHS systems exchange measures in,
    so a receiver needs no caremap-specific reader."""
    d = result.definition
    initial = result.denominator if result.denominator is not None else result.numerator
    populations = [
        _population("initial-population", initial),
        # a mean's numerator is a sum of scores, not people: it is no population
        _population("numerator", None if d.unit == "mean" else result.numerator),
        _population("denominator", result.denominator),
    ]
    group: dict[str, Any] = {
        "code": {"coding": [{"system": INDICATOR_CODES, "code": d.code, "display": d.name}]},
        "population": [p for p in populations if p is not None],
    }
    if result.value is not None:
        unit, ucum = SCORE_UNITS[d.unit]
        group["measureScore"] = {
            "value": round(float(result.value), 4),
            "unit": unit,
            "system": UCUM,
            "code": ucum,
        }
    report: dict[str, Any] = {
        "resourceType": "MeasureReport",
        "id": f"{d.code}-{result.period.code}".lower(),
        "status": "complete",
        "type": "summary",
        "measure": measure_url(d.code),
        "date": generated_at.isoformat(),
        "period": _period(result),
        "group": [group],
    }
    if d.higher_is_better is not None:
        report["improvementNotation"] = {
            "coding": [
                {
                    "system": IMPROVEMENT,
                    "code": "increase" if d.higher_is_better else "decrease",
                }
            ]
        }
    return report


def measure_report_bundle(
    results: Iterable[IndicatorResult], *, generated_at: dt.datetime | None = None
) -> dict[str, Any]:
    """A Bundle (type collection) holding one MeasureReport per indicator."""
    generated_at = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    entries = []
    for result in results:
        report = measure_report(result, generated_at=generated_at)
        full_url = uuid.uuid5(_NAMESPACE, f"{report['id']}/{generated_at.isoformat()}")
        entries.append({"fullUrl": f"urn:uuid:{full_url}", "resource": report})
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": generated_at.isoformat(),
        "entry": entries,
    }
