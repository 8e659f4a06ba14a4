"""The rest of a person's record as UK Core resources: one builder a resource type.

Each builder takes rows already read (caremap.fhir.record reads them, a fixed number of
queries a person) and returns the resource as plain JSON; tests validate every one with
fhir.resources' R4B models. Staff and services are logical references (an identifier
and a name): caremap serves no Practitioner or Organization resources.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from caremap.auth.models import User
from caremap.careteam.models import CareTeamMember
from caremap.catalogue.models import Service
from caremap.episodes.enums import EpisodeKind
from caremap.episodes.models import Episode
from caremap.fhir import systems
from caremap.fhir.patient import day, instant, patient_reference
from caremap.flags import Flag
from caremap.longterm.models import CarePackage
from caremap.medicines.enums import MedicineSource
from caremap.medicines.models import Medicine
from caremap.people.enums import ConsentStatus
from caremap.people.models import ConsentRecord, Person, RelatedPerson
from caremap.referrals.enums import ReferralStatus
from caremap.referrals.models import Referral
from caremap.routing.enums import Urgency

LEAD_KEY_WORKER = "lead-key-worker"


def _meta(kind: str, last_updated: dt.datetime | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"profile": [systems.PROFILES[kind]]}
    if last_updated is not None:
        meta["lastUpdated"] = instant(last_updated)
    return meta


def _midnight(value: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(value, dt.time(), dt.UTC) if value else None


def latest(*moments: dt.datetime | dt.date | None) -> dt.datetime | None:
    """The newest of a row's known change times (dates count from their midnight)."""
    known = [m if isinstance(m, dt.datetime) else _midnight(m) for m in moments if m is not None]
    known = [m if m.tzinfo else m.replace(tzinfo=dt.UTC) for m in known]
    return max(known) if known else None


def staff_reference(user: User) -> dict[str, Any]:
    return {
        "type": "Practitioner",
        "identifier": {"system": systems.STAFF, "value": str(user.id)},
        "display": user.full_name,
    }


def service_reference(service: Service) -> dict[str, Any]:
    return {
        "type": "Organization",
        "identifier": {"system": systems.SERVICE, "value": service.code},
        "display": service.name,
    }


def _period(start: Any, end: Any) -> dict[str, str]:
    period = {"start": start}
    if end is not None:
        period["end"] = end
    return period


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


# --- episodes: EpisodeOfCare, and an Encounter for a hospital admission ------------------


def episode_of_care(
    episode: Episode, person: Person, lead: CareTeamMember | None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "id": str(episode.id),
        "meta": _meta("EpisodeOfCare", latest(episode.created_at, episode.ended_on)),
        "status": "active" if episode.is_open else "finished",
        "type": [_coding(systems.EPISODE_KIND, episode.kind.value, episode.kind.label)],
        "patient": patient_reference(person),
        "managingOrganization": service_reference(episode.service),
        "period": _period(day(episode.started_on), day(episode.ended_on)),
    }
    if lead is not None:
        resource["careManager"] = staff_reference(lead.user)
    if episode.referral_id is not None:
        resource["referralRequest"] = [{"reference": f"ServiceRequest/{episode.referral_id}"}]
    return resource


def care_package(
    package: CarePackage, person: Person, lead: CareTeamMember | None
) -> dict[str, Any]:
    """A long-term support package or placement (a CLD Service event) that no episode
    already stands for: an episode of care with the provider, as the council commissions
    it. Its type is the CLD Release 2 text as recorded (CLD publishes words, not codes)."""
    resource: dict[str, Any] = {
        "resourceType": "EpisodeOfCare",
        "id": f"package-{package.id}",
        "meta": _meta("EpisodeOfCare", latest(package.created_at, package.ended_on)),
        "status": "active" if package.is_open else "finished",
        "type": [{"text": package.service_type}, {"text": package.service_component}],
        "patient": patient_reference(person),
        "period": _period(day(package.started_on), day(package.ended_on)),
    }
    if package.provider_name:
        resource["managingOrganization"] = {
            "type": "Organization",
            "display": package.provider_name,
        }
    if lead is not None:
        resource["careManager"] = staff_reference(lead.user)
    return resource


def encounter(episode: Episode, person: Person) -> dict[str, Any]:
    """A hospital admission, as the stay it was (the inpatient class)."""
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(episode.id),
        "meta": _meta("Encounter", latest(episode.created_at, episode.ended_on)),
        "status": "in-progress" if episode.is_open else "finished",
        "class": {
            "system": systems.V3_ACT_CODE,
            "code": "IMP",
            "display": "inpatient encounter",
        },
        "subject": patient_reference(person),
        "episodeOfCare": [{"reference": f"EpisodeOfCare/{episode.id}"}],
        "period": _period(day(episode.started_on), day(episode.ended_on)),
        "serviceProvider": service_reference(episode.service),
    }
    if episode.is_emergency is not None:
        code, display = ("EM", "emergency") if episode.is_emergency else ("R", "routine")
        resource["priority"] = _coding(systems.V3_ACT_PRIORITY, code, display)
    if episode.admission_condition is not None:
        condition = episode.admission_condition
        resource["reasonCode"] = [
            _coding(systems.ADMISSION_CONDITION, condition.value, condition.label)
        ]
    return resource


def is_hospital_admission(episode: Episode) -> bool:
    return episode.kind == EpisodeKind.HOSPITAL_ADMISSION


# --- referrals: ServiceRequest -----------------------------------------------------------

# A referral's status as a request's (R4 request-status): open work is active, an answer
# of no (declined, or sent elsewhere instead) revokes it, a closed one is completed.
REQUEST_STATUS = {
    ReferralStatus.RECEIVED: "active",
    ReferralStatus.ROUTED: "active",
    ReferralStatus.ACCEPTED: "active",
    ReferralStatus.ACTIVE: "active",
    ReferralStatus.DECLINED: "revoked",
    ReferralStatus.REDIRECTED: "revoked",
    ReferralStatus.CLOSED: "completed",
}
# Urgency as R4 request-priority (emergency is the "stat" of the value set).
REQUEST_PRIORITY = {Urgency.EMERGENCY: "stat", Urgency.URGENT: "urgent", Urgency.ROUTINE: "routine"}


def service_request(referral: Referral, person: Person) -> dict[str, Any]:
    service = referral.service
    requester = referral.referrer_name
    if referral.referrer_organisation:
        requester = f"{requester}, {referral.referrer_organisation}"
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.id),
        "meta": _meta("ServiceRequest", latest(referral.created_at, referral.status_changed_at)),
        "identifier": [{"system": systems.REFERRAL_REFERENCE, "value": referral.reference}],
        "status": REQUEST_STATUS[referral.status],
        "intent": "order",
        "category": [_coding(systems.STRAND, service.strand.code, service.strand.name)],
        "priority": REQUEST_PRIORITY[referral.urgency],
        "code": {
            "coding": [
                {"system": systems.NEED, "code": need.code, "display": need.label}
                for need in referral.needs
            ],
            "text": "; ".join(need.label for need in referral.needs) or "Referral",
        },
        "subject": patient_reference(person),
        "authoredOn": instant(referral.received_at),
        "requester": {"display": requester},
        "performer": [service_reference(service)],
    }
    if referral.details:
        resource["reasonCode"] = [{"text": referral.details}]
    return resource


# --- the care team -----------------------------------------------------------------------


def care_team(members: list[CareTeamMember], person: Person) -> dict[str, Any] | None:
    """One CareTeam a person: every membership, past and present, with its role and period
    (the lead key worker's role says so)."""
    if not members:
        return None
    participants = []
    for member in members:
        role: dict[str, Any] = {"text": member.role}
        if member.is_lead:
            role = {
                "coding": [
                    {
                        "system": systems.CARE_TEAM_ROLE,
                        "code": LEAD_KEY_WORKER,
                        "display": "Lead key worker",
                    }
                ],
                "text": f"Lead key worker ({member.role})",
            }
        participants.append(
            {
                "role": [role],
                "member": staff_reference(member.user),
                "period": _period(instant(member.started_at), instant(member.ended_at)),
            }
        )
    active = any(member.is_active for member in members)
    started = min(member.started_at for member in members)
    ended = None if active else max(member.ended_at for member in members)
    return {
        "resourceType": "CareTeam",
        "id": str(person.id),
        "meta": _meta(
            "CareTeam", latest(*(m.started_at for m in members), *(m.ended_at for m in members))
        ),
        "status": "active" if active else "inactive",
        "name": f"Care team of {person.display_name}",
        "subject": patient_reference(person),
        "period": _period(instant(started), instant(ended)),
        "participant": participants,
    }


# --- medicines: MedicationStatement ------------------------------------------------------


def medication_statement(medicine: Medicine, person: Person) -> dict[str, Any]:
    medication: dict[str, Any] = {"text": medicine.name}
    if medicine.dmd_code:
        medication["coding"] = [
            {"system": systems.DMD, "code": medicine.dmd_code, "display": medicine.name}
        ]
    if medicine.source == MedicineSource.SELF_REPORTED:
        source: dict[str, Any] = patient_reference(person)
    else:
        source = {"display": medicine.source.label}
    resource: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": str(medicine.id),
        "meta": _meta("MedicationStatement", latest(medicine.created_at, medicine.stopped_on)),
        "identifier": [{"system": systems.MEDICINE, "value": str(medicine.id)}],
        "status": "stopped" if medicine.stopped_on else "active",
        "medicationCodeableConcept": medication,
        "subject": patient_reference(person),
        "effectivePeriod": _period(day(medicine.started_on), day(medicine.stopped_on)),
        "dateAsserted": instant(medicine.created_at),
        "informationSource": source,
        "dosage": [
            {
                "text": f"{medicine.dose} {medicine.frequency}",
                "route": {"text": medicine.route.label},
            }
        ],
    }
    if medicine.stopped_on and medicine.stop_reason:
        resource["statusReason"] = [{"text": medicine.stop_reason}]
    return resource


# --- flags -------------------------------------------------------------------------------

# The Flag category (HL7 flag-category) of each kind of caremap flag; a safeguarding flag
# is a safety warning, a medicines one a drug flag, the rest administrative.
FLAG_CATEGORY = {"safeguarding": ("safety", "Safety"), "polypharmacy": ("drug", "Drug")}
ADMINISTRATIVE = ("admin", "Administrative")


def flag(found: Flag, person: Person) -> dict[str, Any]:
    """A flag as the banner shows it, without its detail or link: a safeguarding flag says
    only that a concern is open (safeguarding.flags writes no more than that)."""
    category, category_display = FLAG_CATEGORY.get(found.code, ADMINISTRATIVE)
    resource: dict[str, Any] = {
        "resourceType": "Flag",
        "id": f"{person.id}-{found.code.replace('_', '-')}",
        "meta": _meta("Flag", None),
        "status": "active",
        "category": [_coding(systems.FLAG_CATEGORY, category, category_display)],
        "code": _coding(systems.FLAG, found.code, found.label),
        "subject": patient_reference(person),
    }
    if found.since is not None:
        resource["period"] = {"start": day(found.since)}
    return resource


# --- consent -----------------------------------------------------------------------------


def consent(record: ConsentRecord, person: Person, *, in_force: bool) -> dict[str, Any]:
    """An information-sharing decision: the one in force is active (permit when given,
    deny when refused or withdrawn); earlier ones are inactive."""
    given = record.status == ConsentStatus.GIVEN
    recorder = record.recorded_by
    words = f"Information sharing {record.status.value} on {record.decided_on.isoformat()}"
    words += f", recorded by {recorder.full_name} ({recorder.team.name})"
    return {
        "resourceType": "Consent",
        "id": str(record.id),
        "meta": _meta("Consent", record.recorded_at),
        "text": {
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{_escape(words)}</p></div>',
        },
        "status": "active" if in_force else "inactive",
        "scope": _coding(systems.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
        "category": [_coding(systems.LOINC, "59284-0", "Patient Consent")],
        "patient": patient_reference(person),
        "dateTime": instant(record.recorded_at),
        "performer": [patient_reference(person)],
        "organization": [
            {
                "type": "Organization",
                "identifier": {"system": systems.TEAM, "value": recorder.team.code},
                "display": recorder.team.name,
            }
        ],
        "policyRule": _coding(
            systems.V3_ACT_CODE,
            "OPTIN" if given else "OPTOUT",
            "opt-in" if given else "opt-out",
        ),
        "provision": {
            "type": "permit" if given else "deny",
            "period": {"start": day(record.decided_on)},
        },
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- carers and next of kin: RelatedPerson -----------------------------------------------


def related_person(related: RelatedPerson, person: Person) -> dict[str, Any]:
    relationship: list[dict[str, Any]] = []
    if related.is_next_of_kin:
        relationship.append(_coding(systems.V2_CONTACT_ROLE, "N", "Next-of-Kin"))
    if related.is_carer:
        relationship.append(_coding(systems.CARE_RELATIONSHIP, "carer", "Carer"))
    relationship.append({"text": related.relationship_to_person})
    resource: dict[str, Any] = {
        "resourceType": "RelatedPerson",
        "id": str(related.id),
        "meta": _meta("RelatedPerson", related.created_at),
        "active": related.is_active,
        "patient": patient_reference(person),
        "relationship": relationship,
        "name": [{"text": related.name}],
    }
    telecom = []
    if related.phone:
        telecom.append({"system": "phone", "value": related.phone})
    if related.email:
        telecom.append({"system": "email", "value": related.email})
    if telecom:
        resource["telecom"] = telecom
    if related.address:
        resource["address"] = [{"text": related.address}]
    return resource
