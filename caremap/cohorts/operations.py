from __future__ import annotations

from typing import Any

from caremap import audit
from caremap.auth.models import User
from caremap.cohorts.models import NeedsAssessment
from caremap.cohorts.rules import cohort_rules, derive_cohort
from caremap.core.extensions import db
from caremap.people.models import Person


def record_assessment(*, actor: User, person: Person, details: dict[str, Any]) -> NeedsAssessment:
    """Record needs, engagement and stability. The cohort is derived by the rule so that
    every team counts people alike; a worker may override it, with a reason (audited),
    because the rule cannot see everything the worker knows."""
    needs = {domain: details[domain] for domain in cohort_rules()["domains"]}
    assessment = NeedsAssessment(
        person_id=person.id,
        assessed_by_id=actor.id,
        derived_cohort=derive_cohort(
            needs=needs, engagement=details["engagement"], stability=details["stability"]
        ),
        **details,
    )
    db.session.add(assessment)
    db.session.flush()
    audit.record(
        actor,
        "cohorts.assess",
        person=person,
        reason=details.get("override_reason"),
        changes={
            "assessment_id": assessment.id,
            "derived": assessment.derived_cohort,
            "override": assessment.override_cohort,
        },
    )
    return assessment
