import enum

from caremap.core.enums import LabelledEnum, labelled


class Sex(LabelledEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


labelled(
    Sex,
    {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.UNKNOWN: "Unknown"},
)


class RecordStatus(enum.StrEnum):
    LIVE = "live"
    MERGED = "merged"


class ConsentStatus(LabelledEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


labelled(
    ConsentStatus,
    {
        ConsentStatus.GIVEN: "Given",
        ConsentStatus.REFUSED: "Refused",
        ConsentStatus.WITHDRAWN: "Withdrawn",
    },
)
