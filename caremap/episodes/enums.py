import enum


class EpisodeKind(enum.StrEnum):
    GENERAL = "general"
    REABLEMENT = "reablement"
    HOSPITAL_ADMISSION = "hospital_admission"
    CARE_HOME_ADMISSION = "care_home_admission"
    SELF_DIRECTED_SUPPORT = "self_directed_support"
    HOMELESSNESS_PREVENTION = "homelessness_prevention"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Day91Outcome(enum.StrEnum):
    """Where a person is 91 days after discharge into reablement (ASCOF 2B)."""

    AT_HOME = "at_home"
    IN_HOSPITAL = "in_hospital"
    IN_CARE_HOME = "in_care_home"
    DIED = "died"


class CareHomeType(enum.StrEnum):
    RESIDENTIAL = "residential"
    NURSING = "nursing"


class SupportType(enum.StrEnum):
    PERSONAL_BUDGET = "personal_budget"
    DIRECT_PAYMENT = "direct_payment"
    COUNCIL_MANAGED = "council_managed"


class HomelessnessOutcome(enum.StrEnum):
    PREVENTED = "prevented"
    RELIEVED = "relieved"
    NOT_PREVENTED = "not_prevented"
