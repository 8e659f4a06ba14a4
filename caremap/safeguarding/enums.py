from caremap.core.enums import LabelledEnum, labelled


class AbuseCategory(LabelledEnum):
    PHYSICAL = "physical"
    DOMESTIC_ABUSE = "domestic_abuse"
    SEXUAL = "sexual"
    PSYCHOLOGICAL = "psychological"
    FINANCIAL_OR_MATERIAL = "financial_or_material"
    MODERN_SLAVERY = "modern_slavery"
    DISCRIMINATORY = "discriminatory"
    ORGANISATIONAL = "organisational"
    NEGLECT = "neglect_and_acts_of_omission"
    SELF_NEGLECT = "self_neglect"


labelled(
    AbuseCategory,
    {
        AbuseCategory.PHYSICAL: "Physical",
        AbuseCategory.DOMESTIC_ABUSE: "Domestic abuse",
        AbuseCategory.SEXUAL: "Sexual",
        AbuseCategory.PSYCHOLOGICAL: "Psychological",
        AbuseCategory.FINANCIAL_OR_MATERIAL: "Financial or material",
        AbuseCategory.MODERN_SLAVERY: "Modern slavery",
        AbuseCategory.DISCRIMINATORY: "Discriminatory",
        AbuseCategory.ORGANISATIONAL: "Organisational",
        AbuseCategory.NEGLECT: "Neglect and acts of omission",
        AbuseCategory.SELF_NEGLECT: "Self neglect",
    },
)


class RiskLocation(LabelledEnum):
    OWN_HOME = "own_home"
    COMMUNITY = "community"
    RESIDENTIAL_CARE_HOME = "residential_care_home"
    NURSING_HOME = "nursing_home"
    HOSPITAL = "hospital"
    OTHER = "other"


labelled(
    RiskLocation,
    {
        RiskLocation.OWN_HOME: "Own home",
        RiskLocation.COMMUNITY: "Community",
        RiskLocation.RESIDENTIAL_CARE_HOME: "Residential care home",
        RiskLocation.NURSING_HOME: "Nursing home",
        RiskLocation.HOSPITAL: "Hospital",
        RiskLocation.OTHER: "Other",
    },
)

# Where the risk is, as the strategy splits it: in the community or in care homes.
CARE_HOME_LOCATIONS = (RiskLocation.RESIDENTIAL_CARE_HOME, RiskLocation.NURSING_HOME)


class RiskSource(LabelledEnum):
    KNOWN_TO_THE_PERSON = "known_to_the_person"
    SERVICE_PROVIDER = "service_provider"
    STRANGER = "stranger"
    UNKNOWN = "unknown"


labelled(
    RiskSource,
    {
        RiskSource.KNOWN_TO_THE_PERSON: "Known to the person",
        RiskSource.SERVICE_PROVIDER: "Service provider",
        RiskSource.STRANGER: "Stranger",
        RiskSource.UNKNOWN: "Unknown",
    },
)


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
    REMOVED = "removed"
    REDUCED = "reduced"
    REMAINS = "remains"


labelled(
    RiskOutcome,
    {
        RiskOutcome.REMOVED: "Removed",
        RiskOutcome.REDUCED: "Reduced",
        RiskOutcome.REMAINS: "Remains",
    },
)


class OutcomesAchieved(LabelledEnum):
    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


labelled(
    OutcomesAchieved,
    {
        OutcomesAchieved.FULLY: "Fully",
        OutcomesAchieved.PARTLY: "Partly",
        OutcomesAchieved.NOT: "Not",
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
