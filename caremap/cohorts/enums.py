from caremap.core.enums import LabelledEnum, labelled


class Cohort(LabelledEnum):
    CORE = "core"
    EDGE = "edge"
    STABLE = "stable"


labelled(Cohort, {Cohort.CORE: "Core", Cohort.EDGE: "Edge", Cohort.STABLE: "Stable"})


class Engagement(LabelledEnum):
    ENGAGING = "engaging"
    PARTLY_ENGAGING = "partly_engaging"
    NOT_ENGAGING = "not_engaging"


labelled(
    Engagement,
    {
        Engagement.ENGAGING: "Engaging",
        Engagement.PARTLY_ENGAGING: "Partly engaging",
        Engagement.NOT_ENGAGING: "Not engaging",
    },
)


class Stability(LabelledEnum):
    STABLE = "stable"
    UNSTABLE = "unstable"
    CRISIS = "crisis"


labelled(
    Stability,
    {Stability.STABLE: "Stable", Stability.UNSTABLE: "Unstable", Stability.CRISIS: "Crisis"},
)
