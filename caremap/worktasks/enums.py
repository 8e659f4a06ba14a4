import enum

from caremap.core.enums import LabelledEnum, labelled


class TaskKind(LabelledEnum):
    DAY91_FOLLOW_UP = "day91_follow_up"
    MEDICATION_REVIEW = "medication_review"
    TRANSITION_PLAN = "transition_plan"
    REFERRAL_RESPONSE = "referral_response"
    SAFEGUARDING_ACTION = "safeguarding_action"
    MERGE_NOTICE = "merge_notice"
    OTHER = "other"


labelled(
    TaskKind,
    {
        TaskKind.DAY91_FOLLOW_UP: "Day-91 reablement follow-up",
        TaskKind.MEDICATION_REVIEW: "Medication review",
        TaskKind.TRANSITION_PLAN: "Transition plan",
        TaskKind.REFERRAL_RESPONSE: "Answer a referral",
        TaskKind.SAFEGUARDING_ACTION: "Safeguarding enquiry action",
        TaskKind.MERGE_NOTICE: "Records merged",
        TaskKind.OTHER: "Task",
    },
)


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"
