"""What the Safeguarding Adults Collection (SAC) asks of an enquiry: the risks it looked
into (SG2a, SG2b) and, when it concludes, the action and result (SG2c), the risk outcome
(SG2e), capacity and support (SG3a) and Making Safeguarding Personal (SG4a).

SAC counts concluded section 42 enquiries, so their conclusion must answer every question
the collection asks; another enquiry's answers are welcome and held to the same sense
(no outcome for a risk never identified). Each verb flushes and audits.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from caremap import audit
from caremap.auth.models import User
from caremap.core.errors import ConflictError, DomainError, StaleVersionError
from caremap.core.extensions import db
from caremap.core.versions import check_version
from caremap.safeguarding.enums import (
    RISK_IDENTIFIED,
    SAC_SOURCES,
    AbuseCategory,
    ActionResult,
    EnquiryStatus,
    LackedCapacity,
    MspAsked,
    RiskLocation,
    RiskSource,
)
from caremap.safeguarding.models import Concern, Enquiry, EnquiryRisk
from caremap.safeguarding.permissions import require_runs_enquiry


class SacAnswersError(DomainError):
    """Every unanswered or contradictory SAC question at once, each beside its field, so
    the lead corrects them in one go rather than one refusal at a time."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(next(iter(errors.values())), field=next(iter(errors)))
        self.errors = errors

    def as_errors(self) -> dict[str, list[str]]:
        return {field: [message] for field, message in self.errors.items()}


def risks_from_concern(concern: Concern) -> list[EnquiryRisk]:
    """An enquiry starts with the risks its concern named (each kind, where, from whom), so
    nobody types them twice; a source the raiser did not know is left for the lead."""
    if concern.risk_source == RiskSource.UNKNOWN:
        return []
    return [
        EnquiryRisk(
            risk_type=AbuseCategory(category),
            risk_location=concern.risk_location,
            risk_source=concern.risk_source,
        )
        for category in sorted(set(concern.categories))
    ]


def _touch(enquiry: Enquiry) -> None:
    """A change to the risks is a change to the enquiry: its version moves on, so a
    conclusion entered against the risks as they were is refused (409), not saved over a
    risk taken away at the same moment."""
    flag_modified(enquiry, "status")


def _require_open(enquiry: Enquiry) -> None:
    if enquiry.status != EnquiryStatus.OPEN:
        raise DomainError("This enquiry has concluded", field="status")


def add_risk(
    *,
    actor: User,
    enquiry: Enquiry,
    version: int,
    risk_type: AbuseCategory,
    risk_location: RiskLocation,
    risk_source: RiskSource,
) -> EnquiryRisk:
    """Record a risk the enquiry is looking into, by those who run it, while it is open."""
    check_version(enquiry, version)
    require_runs_enquiry(actor, enquiry)
    _require_open(enquiry)
    if risk_source not in SAC_SOURCES:
        raise DomainError(
            "Choose whom the risk came from: a service provider, someone known to the "
            "person, or someone unknown to them",
            field="risk_source",
        )
    risk = EnquiryRisk(risk_type=risk_type, risk_location=risk_location, risk_source=risk_source)
    # Through the relationship, so an enquiry already in hand lists the new risk at once
    # (found by tests/properties: removing it later in the same unit of work failed).
    enquiry.risks.append(risk)
    _touch(enquiry)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise ConflictError(
            "This risk is already recorded for the enquiry", field="risk_type"
        ) from error
    except StaleDataError as error:
        raise StaleVersionError(current_version=-1) from error
    audit.record(
        actor,
        "safeguarding.risk_add",
        person_id=enquiry.person_id,
        changes={
            "enquiry_id": enquiry.id,
            "risk_id": risk.id,
            "risk_type": risk_type,
            "risk_location": risk_location,
            "risk_source": risk_source,
        },
    )
    return risk


def remove_risk(*, actor: User, risk: EnquiryRisk, version: int) -> Enquiry:
    """Take away a risk recorded in error (the concern's first account may be wrong)."""
    enquiry = risk.enquiry
    check_version(enquiry, version)
    require_runs_enquiry(actor, enquiry)
    _require_open(enquiry)
    changes = {
        "enquiry_id": enquiry.id,
        "risk_id": risk.id,
        "risk_type": risk.risk_type,
        "risk_location": risk.risk_location,
        "risk_source": risk.risk_source,
    }
    if risk in enquiry.risks:
        enquiry.risks.remove(risk)  # delete-orphan: the row goes with it
    else:
        db.session.delete(risk)
    _touch(enquiry)
    flush_versioned()
    audit.record(actor, "safeguarding.risk_remove", person_id=enquiry.person_id, changes=changes)
    return enquiry


def flush_versioned() -> None:
    """Flush, and answer a version changed by a writer who committed first (the database
    saw it after our check) as the stale copy it is: 409, not a server error."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleVersionError(current_version=-1) from error


def check_conclusion(enquiry: Enquiry, details: dict[str, Any]) -> None:
    """Refuse a conclusion that leaves a question SAC asks unanswered (section 42) or
    answers one that does not arise (any enquiry), naming every field at once."""
    errors: dict[str, str] = {}
    s42 = enquiry.is_section_42
    result = details.get("action_result")
    lacked = details.get("lacked_capacity")
    asked = details.get("msp_asked")
    if s42 and result is None:
        errors["action_result"] = "Choose whether a risk was identified and action taken"
    if result == ActionResult.RISK_IDENTIFIED_ACTION_TAKEN and details.get("risk_outcome") is None:
        errors["risk_outcome"] = "Choose whether the risk remained, was reduced or was removed"
    if result is not None and result not in RISK_IDENTIFIED and details.get("risk_outcome"):
        errors["risk_outcome"] = "must be left empty: no risk was identified"
    if s42 and lacked is None:
        errors["lacked_capacity"] = (
            "Choose whether the person lacked capacity to make decisions about the enquiry"
        )
    if lacked == LackedCapacity.YES and details.get("capacity_support") is None:
        errors["capacity_support"] = (
            "Say whether an advocate, family member or friend supported the person"
        )
    if lacked != LackedCapacity.YES and details.get("capacity_support") is not None:
        errors["capacity_support"] = "must be left empty unless the person lacked capacity"
    if s42 and asked is None:
        errors["msp_asked"] = "Choose whether the person was asked what outcomes they wanted"
    expressed = asked == MspAsked.ASKED_OUTCOMES_EXPRESSED
    if expressed and details.get("outcomes_achieved") is None:
        errors["outcomes_achieved"] = "Choose whether the outcomes they wanted were achieved"
    if asked is not None and not expressed and details.get("outcomes_achieved"):
        errors["outcomes_achieved"] = "must be left empty: no outcomes were expressed"
    if s42:
        errors.update(_risk_errors(enquiry))
    if errors:
        raise SacAnswersError(errors)


def _risk_errors(enquiry: Enquiry) -> dict[str, str]:
    # Asked of the database, not the loaded list: a risk added earlier in the same unit of
    # work is not in it (the same lesson as the enquiry's actions).
    sources = db.session.scalars(
        sa.select(EnquiryRisk.risk_source).where(EnquiryRisk.enquiry_id == enquiry.id)
    ).all()
    if not sources:
        return {
            "risks": "Record at least one risk the enquiry looked into: its type, where it "
            "was and whom it came from"
        }
    if any(source not in SAC_SOURCES for source in sources):
        return {"risks": "Say whom each risk came from: 'not known yet' cannot conclude"}
    return {}
