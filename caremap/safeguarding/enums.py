"""The safeguarding code lists. Where the Safeguarding Adults Collection (SAC) counts a
field, its list is the collection's, labelled in the collection's words: the SAC
categories as NHS England publishes them (NHSDigital/ASC-Safeguarding-Adults,
publication_outputs/data_tables_export_outputs.py, commit c596464c) and the SAC guidance
(social-care-collection-materials-2025, SG2 case details). seed/sac/value_lists.json holds
the same lists as data with their sources; tests/safeguarding/test_sac_lists.py holds the
two equal."""

from caremap.core.enums import LabelledEnum, labelled


class AbuseCategory(LabelledEnum):
    """SAC type of risk (SG2a): the 11 types."""

    PHYSICAL = "physical"
    SEXUAL = "sexual"
    PSYCHOLOGICAL = "psychological"
    FINANCIAL_OR_MATERIAL = "financial_or_material"
    DISCRIMINATORY = "discriminatory"
    ORGANISATIONAL = "organisational"
    NEGLECT = "neglect_and_acts_of_omission"
    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL_EXPLOITATION = "sexual_exploitation"
    MODERN_SLAVERY = "modern_slavery"
    SELF_NEGLECT = "self_neglect"


labelled(
    AbuseCategory,
    {
        AbuseCategory.PHYSICAL: "Physical abuse",
        AbuseCategory.SEXUAL: "Sexual abuse",
        AbuseCategory.PSYCHOLOGICAL: "Psychological abuse",
        AbuseCategory.FINANCIAL_OR_MATERIAL: "Financial or material abuse",
        AbuseCategory.DISCRIMINATORY: "Discriminatory abuse",
        AbuseCategory.ORGANISATIONAL: "Organisational abuse",
        AbuseCategory.NEGLECT: "Neglect and acts of omission",
        AbuseCategory.DOMESTIC_ABUSE: "Domestic abuse",
        AbuseCategory.SEXUAL_EXPLOITATION: "Sexual exploitation",
        AbuseCategory.MODERN_SLAVERY: "Modern slavery",
        AbuseCategory.SELF_NEGLECT: "Self-neglect",
    },
)


class RiskLocation(LabelledEnum):
    """SAC location of risk (SG2b): the 9 locations. The codes of the five kept from the
    list before SAC's are unchanged; its one 'hospital' became 'hospital_acute'."""

    OWN_HOME = "own_home"
    COMMUNITY = "community"
    COMMUNITY_SERVICE = "community_service"
    NURSING_HOME = "nursing_home"
    RESIDENTIAL_CARE_HOME = "residential_care_home"
    HOSPITAL_ACUTE = "hospital_acute"
    HOSPITAL_MENTAL_HEALTH = (
        "hospital_mental"  # fits the column (21 characters); the label is SAC's
    )
    HOSPITAL_COMMUNITY = "hospital_community"
    OTHER = "other"


labelled(
    RiskLocation,
    {
        RiskLocation.OWN_HOME: "Own home",
        RiskLocation.COMMUNITY: "In the community (excluding community services)",
        RiskLocation.COMMUNITY_SERVICE: "In a community service",
        RiskLocation.NURSING_HOME: "Care home – nursing",
        RiskLocation.RESIDENTIAL_CARE_HOME: "Care home – residential",
        RiskLocation.HOSPITAL_ACUTE: "Hospital – acute",
        RiskLocation.HOSPITAL_MENTAL_HEALTH: "Hospital – mental health",
        RiskLocation.HOSPITAL_COMMUNITY: "Hospital – community",
        RiskLocation.OTHER: "Other",
    },
)

# Where the risk is, as the strategy splits it: in the community or in care homes.
CARE_HOME_LOCATIONS = (RiskLocation.RESIDENTIAL_CARE_HOME, RiskLocation.NURSING_HOME)


class RiskSource(LabelledEnum):
    """SAC source of risk (SG2a, SG2b), the person or body the risk comes from: a service
    provider (paid, contracted or commissioned to provide social care, whoever funds it;
    not assessment or care-management staff, the NHS or GPs, who are 'other'), or other,
    known or unknown to the individual. 'Not known yet' is for a concern only: the one
    raising it may not know; an enquiry concludes with one of SAC's three."""

    SERVICE_PROVIDER = "service_provider"
    KNOWN_TO_THE_PERSON = "known_to_the_person"
    STRANGER = "stranger"
    UNKNOWN = "unknown"


labelled(
    RiskSource,
    {
        RiskSource.SERVICE_PROVIDER: "Service provider",
        RiskSource.KNOWN_TO_THE_PERSON: "Other – known to the individual",
        RiskSource.STRANGER: "Other – unknown to the individual",
        RiskSource.UNKNOWN: "Not known yet",
    },
)

# The sources SAC counts: an enquiry's risks are always one of these.
SAC_SOURCES = (RiskSource.SERVICE_PROVIDER, RiskSource.KNOWN_TO_THE_PERSON, RiskSource.STRANGER)


class Capacity(LabelledEnum):
    HAS_CAPACITY = "has_capacity"
    LACKS_CAPACITY = "lacks_capacity"
    NOT_ASSESSED = "not_assessed"


labelled(
    Capacity,
    {
        Capacity.HAS_CAPACITY: "Has capacity",
        Capacity.LACKS_CAPACITY: "Lacks capacity",
        Capacity.NOT_ASSESSED: "Not assessed",
    },
)


class ConcernStatus(LabelledEnum):
    AWAITING_TRIAGE = "awaiting_triage"
    SECTION_42_ENQUIRY = "section_42_enquiry"
    OTHER_ENQUIRY = "other_enquiry"
    NO_FURTHER_ACTION = "no_further_action"
    CLOSED = "closed"


labelled(
    ConcernStatus,
    {
        ConcernStatus.AWAITING_TRIAGE: "Awaiting triage",
        ConcernStatus.SECTION_42_ENQUIRY: "Section 42 enquiry",
        ConcernStatus.OTHER_ENQUIRY: "Other enquiry",
        ConcernStatus.NO_FURTHER_ACTION: "No further action",
        ConcernStatus.CLOSED: "Closed",
    },
)


class TriageDecision(LabelledEnum):
    SECTION_42_ENQUIRY = "section_42_enquiry"
    OTHER_ENQUIRY = "other_enquiry"
    NO_FURTHER_ACTION = "no_further_action"


labelled(
    TriageDecision,
    {
        TriageDecision.SECTION_42_ENQUIRY: "Section 42 enquiry",
        TriageDecision.OTHER_ENQUIRY: "Other enquiry",
        TriageDecision.NO_FURTHER_ACTION: "No further action",
    },
)


class EnquiryStatus(LabelledEnum):
    OPEN = "open"
    CONCLUDED = "concluded"


labelled(EnquiryStatus, {EnquiryStatus.OPEN: "Open", EnquiryStatus.CONCLUDED: "Concluded"})


class Substantiated(LabelledEnum):
    """The finding the collection asked before SAC (kept for enquiries concluded with
    it); SAC asks the action taken and its result instead (ActionResult)."""

    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"
    INCONCLUSIVE = "inconclusive"


labelled(
    Substantiated,
    {
        Substantiated.FULLY: "Fully",
        Substantiated.PARTLY: "Partly",
        Substantiated.NOT: "Not",
        Substantiated.INCONCLUSIVE: "Inconclusive",
    },
)


class RiskOutcome(LabelledEnum):
    """SAC risk outcome (SG2e), asked where a risk was identified and action taken."""

    REMOVED = "removed"
    REDUCED = "reduced"
    REMAINS = "remains"


labelled(
    RiskOutcome,
    {
        RiskOutcome.REMOVED: "Risk removed",
        RiskOutcome.REDUCED: "Risk reduced",
        RiskOutcome.REMAINS: "Risk remained",
    },
)


class OutcomesAchieved(LabelledEnum):
    """SAC Making Safeguarding Personal (SG4a): were the outcomes the person expressed
    achieved? Asked only when they were asked and expressed outcomes."""

    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


labelled(
    OutcomesAchieved,
    {
        OutcomesAchieved.FULLY: "Fully achieved",
        OutcomesAchieved.PARTLY: "Partially achieved",
        OutcomesAchieved.NOT: "Not achieved",
    },
)


class MeetingKind(LabelledEnum):
    STRATEGY_DISCUSSION = "strategy_discussion"
    STRATEGY_MEETING = "strategy_meeting"
    CASE_CONFERENCE = "case_conference"


labelled(
    MeetingKind,
    {
        MeetingKind.STRATEGY_DISCUSSION: "Strategy discussion",
        MeetingKind.STRATEGY_MEETING: "Strategy meeting",
        MeetingKind.CASE_CONFERENCE: "Case conference",
    },
)


class ActionResult(LabelledEnum):
    """SAC action taken and result (SG2c): one per concluded enquiry."""

    RISK_IDENTIFIED_ACTION_TAKEN = "risk_identified_action_taken"
    RISK_IDENTIFIED_NO_ACTION = "risk_identified_no_action"
    INCONCLUSIVE_ACTION_TAKEN = "inconclusive_action_taken"
    INCONCLUSIVE_NO_ACTION = "inconclusive_no_action"
    NO_RISK_ACTION_TAKEN = "no_risk_action_taken"
    NO_RISK_NO_ACTION = "no_risk_no_action"
    CEASED_AT_REQUEST = "ceased_at_request_no_action"


labelled(
    ActionResult,
    {
        ActionResult.RISK_IDENTIFIED_ACTION_TAKEN: "Risk identified and action taken",
        ActionResult.RISK_IDENTIFIED_NO_ACTION: "Risk identified and no action taken",
        ActionResult.INCONCLUSIVE_ACTION_TAKEN: "Risk assessment inconclusive and action taken",
        ActionResult.INCONCLUSIVE_NO_ACTION: "Risk assessment inconclusive and no action taken",
        ActionResult.NO_RISK_ACTION_TAKEN: "No risk identified and action taken",
        ActionResult.NO_RISK_NO_ACTION: "No risk identified and no action taken",
        ActionResult.CEASED_AT_REQUEST: "Enquiry ceased at the individual's request and no "
        "action taken",
    },
)

# A risk outcome (SG2e) is asked where a risk was identified; it has no meaning where
# none was, or the enquiry was inconclusive or ceased.
RISK_IDENTIFIED = (
    ActionResult.RISK_IDENTIFIED_ACTION_TAKEN,
    ActionResult.RISK_IDENTIFIED_NO_ACTION,
)


class LackedCapacity(LabelledEnum):
    """SAC mental capacity (SG3a): did the individual lack capacity to make decisions
    about the enquiry?"""

    YES = "yes"
    NO = "no"
    DONT_KNOW = "dont_know"
    NOT_RECORDED = "not_recorded"


labelled(
    LackedCapacity,
    {
        LackedCapacity.YES: "Yes, they lacked capacity",
        LackedCapacity.NO: "No, they did not lack capacity",
        LackedCapacity.DONT_KNOW: "Don't know",
        LackedCapacity.NOT_RECORDED: "Not recorded",
    },
)


class MspAsked(LabelledEnum):
    """SAC Making Safeguarding Personal (SG4a): was the individual, or their
    representative, asked what outcomes they wanted?"""

    ASKED_OUTCOMES_EXPRESSED = "asked_outcomes_expressed"
    ASKED_NO_OUTCOMES_EXPRESSED = "asked_no_outcomes_expressed"
    NOT_ASKED = "not_asked"
    DONT_KNOW = "dont_know"
    NOT_RECORDED = "not_recorded"


labelled(
    MspAsked,
    {
        MspAsked.ASKED_OUTCOMES_EXPRESSED: "Yes, they were asked and outcomes were expressed",
        MspAsked.ASKED_NO_OUTCOMES_EXPRESSED: "Yes, they were asked but no outcomes were expressed",
        MspAsked.NOT_ASKED: "No, they were not asked",
        MspAsked.DONT_KNOW: "Don't know",
        MspAsked.NOT_RECORDED: "Not recorded",
    },
)
