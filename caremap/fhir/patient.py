"""A person as a UKCore-Patient: identifiers, demographics, the GP practice, merges."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pycountry

from caremap.fhir import systems
from caremap.people.enums import Sex
from caremap.people.models import Person

# caremap's sex is what FHIR calls administrative gender (same four values).
GENDERS = {Sex.FEMALE: "female", Sex.MALE: "male", Sex.OTHER: "other", Sex.UNKNOWN: "unknown"}
INTERPRETER_REQUIRED = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"


def instant(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # stored in UTC (core.db.UTCDateTime); SQLite may drop the zone
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def patient_reference(person: Person) -> dict[str, str]:
    return {"reference": f"Patient/{person.id}", "display": person.display_name}


def _identifiers(person: Person, source_identifiers: list[tuple[str, str]]) -> list[dict]:
    found: list[dict[str, Any]] = []
    if person.nhs_number:
        code, display = systems.NHS_NUMBER_PRESENT_NOT_TRACED
        found.append(
            {
                "extension": [
                    {
                        "url": systems.NHS_NUMBER_VERIFICATION_EXTENSION,
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": systems.NHS_NUMBER_VERIFICATION_SYSTEM,
                                    "code": code,
                                    "display": display,
                                }
                            ]
                        },
                    }
                ],
                "system": systems.NHS_NUMBER,
                "value": person.nhs_number,
            }
        )
    found.append({"use": "usual", "system": systems.LOCAL_REFERENCE, "value": person.local_ref})
    found += [
        {"use": "secondary", "system": system, "value": value}
        for system, value in source_identifiers
    ]
    return found


@cache
def language_code(name: str) -> str | None:
    """The BCP-47 tag of a language written as a name ("Polish" → pl), the required
    binding of Patient.communication.language; None when the name is not an ISO 639
    language (then caremap says nothing rather than send a code it guessed)."""
    wanted = name.strip().lower()
    try:
        found = pycountry.languages.lookup(wanted)
    except LookupError:
        starting = [lang for lang in pycountry.languages if lang.name.lower().startswith(wanted)]
        if len(starting) != 1:
            return None
        found = starting[0]
    return getattr(found, "alpha_2", None) or found.alpha_3


def _address(person: Person) -> list[dict[str, Any]]:
    if person.no_fixed_abode:
        return [{"use": "home", "text": "No fixed abode"}]
    lines = [line for line in (person.address_line_1, person.address_line_2) if line]
    address: dict[str, Any] = {"use": "home"}
    if lines:
        address["line"] = lines
    if person.town:
        address["city"] = person.town
    if person.postcode:
        address["postalCode"] = person.postcode
    return [address] if len(address) > 1 else []


def _telecom(person: Person) -> list[dict[str, str]]:
    found = []
    if person.phone:
        found.append({"system": "phone", "value": person.phone, "use": "home"})
    if person.email:
        found.append({"system": "email", "value": person.email, "use": "home"})
    return found


def _names(person: Person) -> list[dict[str, Any]]:
    names: list[dict[str, Any]] = [
        {"use": "official", "family": person.family_name, "given": [person.given_name]}
    ]
    if person.preferred_name:
        names.append({"use": "usual", "given": [person.preferred_name]})
    return names


def _narrative(person: Person) -> dict[str, str]:
    """The human-readable summary UK Core asks for (dom-6), with the communication needs
    that have no coded element."""
    parts = [f"{person.display_name}, born {person.date_of_birth.isoformat()}"]
    if person.interpreter_needed:
        parts.append(f"Needs an interpreter ({person.language or 'language not recorded'})")
    if person.communication_needs:
        parts.append(f"Communication needs: {person.communication_needs}")
    paragraphs = "".join(f"<p>{_escape(part)}</p>" for part in parts)
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{paragraphs}</div>',
    }


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def patient(
    person: Person,
    *,
    replaces: list[Person] = (),  # type: ignore[assignment]
    source_identifiers: list[tuple[str, str]] = (),  # type: ignore[assignment]
) -> dict[str, Any]:
    """The whole Patient, for someone allowed to see the record."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(person.id),
        "meta": {
            "profile": [systems.PROFILES["Patient"]],
            "lastUpdated": instant(person.updated_at),
        },
        "text": _narrative(person),
        "identifier": _identifiers(person, list(source_identifiers)),
        "active": person.is_live,
        "name": _names(person),
        "gender": GENDERS[person.sex],
        "birthDate": day(person.date_of_birth),
    }
    if person.date_of_death:
        resource["deceasedDateTime"] = day(person.date_of_death)
    else:
        resource["deceasedBoolean"] = False
    if telecom := _telecom(person):
        resource["telecom"] = telecom
    if address := _address(person):
        resource["address"] = address
    if person.gp_practice_code:
        resource["generalPractitioner"] = [
            {
                "type": "Organization",
                "identifier": {
                    "system": systems.ODS_ORGANISATION,
                    "value": person.gp_practice_code,
                },
                **({"display": person.gp_practice_name} if person.gp_practice_name else {}),
            }
        ]
    if person.interpreter_needed:
        resource["extension"] = [{"url": INTERPRETER_REQUIRED, "valueBoolean": True}]
    code = language_code(person.language) if person.language else None
    if code:
        resource["communication"] = [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": code}],
                    "text": person.language,
                },
                "preferred": True,
            }
        ]
    if replaces:
        resource["link"] = [
            {"other": patient_reference(old), "type": "replaces"} for old in replaces
        ]
    return resource


def merged_patient(person: Person, survivor: Person) -> dict[str, Any]:
    """A record merged away: only who it was and where it went (Patient.link replaced-by),
    so an old reference still leads a system to the record that stands."""
    return {
        "resourceType": "Patient",
        "id": str(person.id),
        "meta": {
            "profile": [systems.PROFILES["Patient"]],
            "lastUpdated": instant(person.merged_at),
        },
        "identifier": _identifiers(person, []),
        "active": False,
        "link": [{"other": patient_reference(survivor), "type": "replaced-by"}],
    }
