import enum


class Cohort(enum.StrEnum):
    CORE = "core"
    EDGE = "edge"
    STABLE = "stable"


class Engagement(enum.StrEnum):
    ENGAGING = "engaging"
    PARTLY_ENGAGING = "partly_engaging"
    NOT_ENGAGING = "not_engaging"


class Stability(enum.StrEnum):
    STABLE = "stable"
    UNSTABLE = "unstable"
    CRISIS = "crisis"
