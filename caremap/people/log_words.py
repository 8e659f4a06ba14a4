""" "Who has looked at this record" in words: what each audited action means to a person.

The audit trail names actions by code (`people.update_identity`); the report a person or
their worker reads says "changed the person's details". An action without words here
still reads as words ("safeguarding: risk add"), never as a code.
"""

from __future__ import annotations

from collections.abc import Iterable

WORDS: dict[str, str] = {
    # the record
    "people.view": "opened the record",
    "people.register": "registered the person",
    "people.search": "found the person in a search",
    "people.recent_view": "saw the person in their records opened recently",
    "people.duplicates_shown": "saw the person among likely duplicates while registering someone",
    "people.update_identity": "changed the person's details",
    "people.edit_identity": "opened the person's details to change them",
    "people.story": "updated “my story”",
    "people.edit_story": "opened “my story” to change it",
    "people.view_story": "read the earlier versions of “my story”",
    "people.consent": "recorded consent",
    "people.edit_consent": "opened consent to change it",
    "people.view_consent": "read the consent history",
    "people.add_related_person": "added a carer or contact",
    "people.update_related_person": "changed a carer or contact",
    "people.view_related_people": "read the carers and contacts",
    "people.view_chronology": "read the chronology",
    "people.view_access_log": "read who has looked at this record",
    "people.identity_check": "recorded how the person's identity was checked",
    "people.identity_check_shown": "saw how the person's identity was checked",
    "people.merge": "merged a duplicate record into this one",
    "people.merged_into": "merged this record into another",
    "people.merge_review": "reviewed a merge of this record",
    "people.unmerge": "undid a merge of this record",
    # access
    "access.break_glass": "used emergency access to open the record",
    "access.break_glass_request": "opened the emergency access page",
    "access.break_glass_review": "reviewed an emergency access to the record",
    "access.grant": "gave someone access to the record",
    # care team
    "careteam.add_member": "added someone to the care team",
    "careteam.assign_lead": "made someone the lead key worker",
    "careteam.end_member": "ended someone's place in the care team",
    "careteam.view": "read the care team",
    "careteam.care_team": "read the care team",
    "careteam.caseload_view": "saw the person on a caseload",
    "careteam.hand_over_caseload": "handed over a caseload that included the person",
    # referrals and episodes
    "referrals.submit": "made a referral",
    "referrals.refer": "opened the referral form",
    "referrals.preview": "checked where a referral would go",
    "referrals.accept": "accepted a referral",
    "referrals.decline": "declined a referral",
    "referrals.redirect": "sent a referral to another service",
    "referrals.close": "closed a referral",
    "referrals.first_contact": "recorded the first contact",
    "referrals.start_episode": "started an episode of care",
    "referrals.view": "opened a referral",
    "referrals.view_as_referrer": "followed a referral they made",
    "referrals.list": "read the referrals",
    "referrals.queue_view": "saw the person in a referral queue",
    "referrals.mine_view": "saw the person in the referrals they made",
    "referrals.self_routed_accept": "accepted a referral to their own service",
    "episodes.start": "started an episode of care",
    "episodes.end": "ended an episode of care",
    "episodes.day91_outcome": "recorded where the person was 91 days after leaving hospital",
    "episodes.view": "read an episode of care",
    "episodes.list": "read the episodes of care",
    # tasks
    "tasks.create": "set a task",
    "tasks.complete": "completed a task",
    "tasks.close": "closed a task",
    "tasks.list_view": "saw the person on a task list",
    # care domains
    "medicines.record": "recorded a medicine",
    "medicines.stop": "stopped a medicine",
    "medicines.review": "recorded a medication review",
    "medicines.review_not_needed": "closed a medication review as not needed",
    "medicines.view": "read the medicines",
    "medicines.medicines": "read the medicines",
    "medicines.view_reviews": "read the medication reviews",
    "cohorts.assess": "recorded a multiple needs assessment",
    "cohorts.view": "read the multiple needs assessment",
    "cohorts.needs": "read the multiple needs assessment",
    "transitions.plan": "recorded the transition plan",
    "transitions.view": "read the transition plan",
    "longterm.view": "read the long-term support",
    "longterm.overview": "read the long-term support",
    "longterm.profile.view": "read the social care profile",
    "longterm.profile.save": "changed the social care profile",
    "longterm.assessments.record": "recorded an assessment",
    "longterm.assessments.update": "changed an assessment",
    "longterm.assessments.end": "completed an assessment",
    "longterm.packages.record": "recorded a care package",
    "longterm.packages.update": "changed a care package",
    "longterm.packages.end": "ended a care package",
    "longterm.reviews.record": "recorded a review",
    "longterm.reviews.update": "changed a review",
    "longterm.reviews.end": "completed a review",
    "safeguarding.raise": "raised a safeguarding concern",
    "safeguarding.raise_open": "opened the safeguarding concern form",
    "safeguarding.view_person": "read the safeguarding history",
    "indicators.drill_down": "saw the person behind an indicator",
    "fhir.patient_read": "read the record through the FHIR interface",
    "fhir.everything": "read the whole record through the FHIR interface",
    "fhir.patient_search": "found the person through the FHIR interface",
    "imports.create": "created the record in a bulk import",
    "imports.link": "linked the record to a bulk import",
    "imports.event": "added history from a bulk import",
    "imports.held_shown": "saw the person among a bulk import's possible matches",
    "returns.cld.records_to_fix": "saw the person among the records to fix before a CLD return",
    "returns.sac.cell": "saw the person behind a figure of the safeguarding return",
}

_DOMAINS = {
    "people": "the record",
    "access": "access",
    "careteam": "the care team",
    "referrals": "referrals",
    "episodes": "episodes of care",
    "tasks": "tasks",
    "medicines": "medicines",
    "cohorts": "multiple needs",
    "transitions": "transition planning",
    "longterm": "long-term support",
    "safeguarding": "safeguarding",
    "indicators": "indicators",
    "fhir": "the FHIR interface",
    "imports": "bulk import",
    "returns": "the statutory returns",
}


# What a change of the person's details touched, in the words a person would use: the
# audit row of `people.update_identity` keeps each changed field (and its old value).
_DETAIL_WORDS: dict[str, str] = {
    "given_name": "the name",
    "family_name": "the name",
    "preferred_name": "the preferred name",
    "date_of_birth": "the date of birth",
    "date_of_death": "the date of death",
    "sex": "the sex",
    "nhs_number": "the NHS number",
    "address_line_1": "the address",
    "address_line_2": "the address",
    "town": "the address",
    "postcode": "the address",
    "no_fixed_abode": "the address",
    "phone": "the phone number",
    "email": "the email address",
    "gp_practice_code": "the GP practice",
    "gp_practice_name": "the GP practice",
}


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def in_words(action: str, changes: Iterable[str] | None = None) -> str:
    """What the action did, as a phrase that follows a person's name; for a change of
    the person's details, which ones ("changed the address and the phone number")."""
    if action == "people.update_identity" and changes:
        touched = list(dict.fromkeys(_DETAIL_WORDS[key] for key in changes if key in _DETAIL_WORDS))
        if touched:
            return f"changed {_listed(touched)}"
    if action in WORDS:
        return WORDS[action]
    domain, _, verb = action.partition(".")
    return f"{_DOMAINS.get(domain, domain)}: {verb.replace('_', ' ')}"
