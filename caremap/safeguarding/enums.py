import enum


class _Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AbuseCategory(_Labelled):
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


class RiskLocation(_Labelled):
    OWN_HOME = "own_home"
    COMMUNITY = "community"
    RESIDENTIAL_CARE_HOME = "residential_care_home"
    NURSING_HOME = "nursing_home"
    HOSPITAL = "hospital"
    OTHER = "other"


# Where the risk is, as the strategy splits it: in the community or in care homes.
CARE_HOME_LOCATIONS = (RiskLocation.RESIDENTIAL_CARE_HOME, RiskLocation.NURSING_HOME)


class RiskSource(_Labelled):
    KNOWN_TO_THE_PERSON = "known_to_the_person"
    SERVICE_PROVIDER = "service_provider"
    STRANGER = "stranger"
    UNKNOWN = "unknown"


class Capacity(_Labelled):
    HAS_CAPACITY = "has_capacity"
    LACKS_CAPACITY = "lacks_capacity"
    NOT_ASSESSED = "not_assessed"


class ConcernStatus(_Labelled):
    AWAITING_TRIAGE = "awaiting_triage"
    SECTION_42_ENQUIRY = "section_42_enquiry"
    OTHER_ENQUIRY = "other_enquiry"
    NO_FURTHER_ACTION = "no_further_action"
    CLOSED = "closed"


class TriageDecision(_Labelled):
    SECTION_42_ENQUIRY = "section_42_enquiry"
    OTHER_ENQUIRY = "other_enquiry"
    NO_FURTHER_ACTION = "no_further_action"


class EnquiryStatus(_Labelled):
    OPEN = "open"
    CONCLUDED = "concluded"


class Substantiated(_Labelled):
    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"
    INCONCLUSIVE = "inconclusive"


class RiskOutcome(_Labelled):
    REMOVED = "removed"
    REDUCED = "reduced"
    REMAINS = "remains"


class OutcomesAchieved(_Labelled):
    FULLY = "fully"
    PARTLY = "partly"
    NOT = "not"


class MeetingKind(_Labelled):
    STRATEGY_DISCUSSION = "strategy_discussion"
    STRATEGY_MEETING = "strategy_meeting"
    CASE_CONFERENCE = "case_conference"
