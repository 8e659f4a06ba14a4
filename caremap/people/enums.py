import enum


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class RecordStatus(enum.StrEnum):
    LIVE = "live"
    MERGED = "merged"


class ConsentStatus(enum.StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
