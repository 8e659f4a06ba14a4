"""The published identifiers, code systems and profiles the FHIR view uses, in one place.

Each value was checked against its publisher (sources in docs/fhir.md, "Sources"):
UK Core from NHS England's `NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN` repository, the
Patient $everything operation from the FHIR R4 specification, the base code systems
from HL7's terminology (http://terminology.hl7.org).
"""

from __future__ import annotations

FHIR_VERSION = "4.0.1"  # UK Core's StructureDefinitions are on FHIR 4.0.1
MIME = "application/fhir+json"

# --- identifiers ----------------------------------------------------------------------
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ODS_ORGANISATION = "https://fhir.nhs.uk/Id/ods-organization-code"
# caremap's own identifiers: a deployment's base is its own; these name caremap's
# namespaces (a local reference, a staff account, a service, a referral reference).
LOCAL_REFERENCE = "https://fhir.caremap.example/Id/local-reference"
STAFF = "https://fhir.caremap.example/Id/staff"
SERVICE = "https://fhir.caremap.example/Id/service"
REFERRAL_REFERENCE = "https://fhir.caremap.example/Id/referral-reference"
MEDICINE = "https://fhir.caremap.example/Id/medicine"

# --- UK Core profiles (meta.profile) --------------------------------------------------
_UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"
PROFILES = {
    name: f"{_UK_CORE}UKCore-{name}"
    for name in (
        "Patient",
        "EpisodeOfCare",
        "Encounter",
        "ServiceRequest",
        "CareTeam",
        "MedicationStatement",
        "Flag",
        "Consent",
        "RelatedPerson",
    )
}

# --- NHS number verification status (UK Core, required binding) -----------------------
NHS_NUMBER_VERIFICATION_EXTENSION = f"{_UK_CORE}Extension-UKCore-NHSNumberVerificationStatus"
NHS_NUMBER_VERIFICATION_SYSTEM = (
    "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland"
)
# caremap checks an NHS number's form and check digit but never traces it against the
# national demographics service (PDS), so "verified" (01) would be a claim it cannot
# make: 02 is the truthful code (docs/fhir.md says why).
NHS_NUMBER_PRESENT_NOT_TRACED = ("02", "Number present but not traced")

# --- code systems ---------------------------------------------------------------------
DMD = "https://dmd.nhs.uk"
LOINC = "http://loinc.org"
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ACT_PRIORITY = "http://terminology.hl7.org/CodeSystem/v3-ActPriority"
V2_CONTACT_ROLE = "http://terminology.hl7.org/CodeSystem/v2-0131"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
# caremap's own code lists, for what has no national code: its teams, strands, needs,
# flags, episode kinds, admission conditions and care-team roles.
CAREMAP_CODES = "https://fhir.caremap.example/CodeSystem/"
TEAM = "https://fhir.caremap.example/Id/team"
STRAND = f"{CAREMAP_CODES}strand"
NEED = f"{CAREMAP_CODES}need"
FLAG = f"{CAREMAP_CODES}flag"
EPISODE_KIND = f"{CAREMAP_CODES}episode-kind"
ADMISSION_CONDITION = f"{CAREMAP_CODES}admission-condition"
CARE_TEAM_ROLE = f"{CAREMAP_CODES}care-team-role"
CARE_RELATIONSHIP = f"{CAREMAP_CODES}care-relationship"

# The resource types the view serves, in the order a Bundle lists them.
RESOURCE_TYPES = (
    "Patient",
    "Consent",
    "Flag",
    "CareTeam",
    "RelatedPerson",
    "EpisodeOfCare",
    "Encounter",
    "ServiceRequest",
    "MedicationStatement",
)
