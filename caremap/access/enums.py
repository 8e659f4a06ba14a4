"""What an admin found when reviewing an emergency (break-glass) access."""

from caremap.core.enums import LabelledEnum, labelled


class ReviewOutcome(LabelledEnum):
    APPROPRIATE = "appropriate"
    NOT_APPROPRIATE = "not_appropriate"
    ESCALATED = "escalated"


labelled(
    ReviewOutcome,
    {
        ReviewOutcome.APPROPRIATE: "Appropriate: the reason was a real need to see the record",
        ReviewOutcome.NOT_APPROPRIATE: "Not appropriate: there was no need to open the record",
        ReviewOutcome.ESCALATED: "Escalated: passed to the information governance lead",
    },
)
