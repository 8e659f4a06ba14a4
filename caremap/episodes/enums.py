import enum

from caremap.core.enums import LabelledEnum, labelled


class EpisodeKind(LabelledEnum):
    GENERAL = "general"
    REABLEMENT = "reablement"
    HOSPITAL_ADMISSION = "hospital_admission"
    CARE_HOME_ADMISSION = "care_home_admission"
    SELF_DIRECTED_SUPPORT = "self_directed_support"
    HOMELESSNESS_PREVENTION = "homelessness_prevention"


labelled(
    EpisodeKind,
    {
        EpisodeKind.GENERAL: "General",
        EpisodeKind.REABLEMENT: "Reablement",
        EpisodeKind.HOSPITAL_ADMISSION: "Hospital admission",
        EpisodeKind.CARE_HOME_ADMISSION: "Care home admission",
        EpisodeKind.SELF_DIRECTED_SUPPORT: "Self directed support",
        EpisodeKind.HOMELESSNESS_PREVENTION: "Homelessness prevention",
    },
)


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


class AdmissionCondition(LabelledEnum):
    """Why a hospital admission happened, as far as the indicators need it.

    Ambulatory care sensitive conditions (chronic, acute, vaccine-preventable) are those
    that timely care in the community should usually keep out of hospital: the local
    proxy for avoidable emergency admissions counts them. The Big 6 are the childhood
    conditions with community pathways.
    """

    CHRONIC_ACSC = "chronic_acsc"
    ACUTE_ACSC = "acute_acsc"
    VACCINE_PREVENTABLE = "vaccine_preventable"
    BIG6_BRONCHIOLITIS = "big6_bronchiolitis"
    BIG6_FEVER = "big6_fever"
    BIG6_GASTROENTERITIS = "big6_gastroenteritis"
    BIG6_HEAD_INJURY = "big6_head_injury"
    BIG6_ASTHMA = "big6_asthma"
    BIG6_ABDOMINAL_PAIN = "big6_abdominal_pain"
    OTHER = "other"

    @property
    def is_avoidable(self) -> bool:
        return self in AVOIDABLE_CONDITIONS

    @property
    def is_big6(self) -> bool:
        return self.value.startswith("big6_")


labelled(
    AdmissionCondition,
    {
        AdmissionCondition.CHRONIC_ACSC: "A long-term condition usually managed in the community",
        AdmissionCondition.ACUTE_ACSC: "An acute condition usually treated in the community",
        AdmissionCondition.VACCINE_PREVENTABLE: "A vaccine-preventable condition",
        AdmissionCondition.BIG6_BRONCHIOLITIS: "Child: bronchiolitis",
        AdmissionCondition.BIG6_FEVER: "Child: fever",
        AdmissionCondition.BIG6_GASTROENTERITIS: "Child: gastroenteritis",
        AdmissionCondition.BIG6_HEAD_INJURY: "Child: head injury",
        AdmissionCondition.BIG6_ASTHMA: "Child: asthma",
        AdmissionCondition.BIG6_ABDOMINAL_PAIN: "Child: abdominal pain",
        AdmissionCondition.OTHER: "Something else",
    },
)

AVOIDABLE_CONDITIONS = frozenset(
    {
        AdmissionCondition.CHRONIC_ACSC,
        AdmissionCondition.ACUTE_ACSC,
        AdmissionCondition.VACCINE_PREVENTABLE,
    }
)
BIG6_CONDITIONS = frozenset(c for c in AdmissionCondition if c.is_big6)
