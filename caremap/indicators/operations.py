"""Changing what the indicators divide by: an admin corrects a population estimate."""

from __future__ import annotations

from caremap.audit import operations as audit
from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.rows import get_or_404
from caremap.core.versions import check_version
from caremap.indicators import recent
from caremap.indicators.models import PopulationEstimate


def update_population(
    *, actor: User, estimate_id: int, population: int, source: str, version: int
) -> PopulationEstimate:
    """Correct one age band's population (a new ONS release, a boundary change).

    Every rate per 100,000 of that area and year moves with it, so the change is audited
    with its before and after, and a stale version (someone saved it since this form was
    opened) is refused rather than silently overwritten.
    """
    estimate = get_or_404(PopulationEstimate, estimate_id)
    check_version(estimate, version)
    if population is None or population < 0:
        raise DomainError("must be 0 or more", field="population")
    source = (source or "").strip()
    if not source:
        raise DomainError("Enter where the figure comes from", field="source")
    if len(source) > 500:
        raise DomainError("must be 500 characters or fewer", field="source")
    before = {"population": estimate.population, "source": estimate.source}
    after = {"population": population, "source": source}
    changed = audit.diff(before, after)
    estimate.population = population
    estimate.source = source
    estimate.updated_by_id = actor.id
    estimate.updated_at = utcnow()
    db.session.flush()
    recent.forget()  # every live rate of the area moves with it
    audit.record(
        actor,
        "indicators.population_update",
        changes={
            "estimate_id": estimate.id,
            "area": estimate.area_code,
            "year": estimate.year,
            "age_from": estimate.age_from,
            "age_to": estimate.age_to,
            "before": before,
            "after": after,
            "changed": changed,
        },
    )
    return estimate
