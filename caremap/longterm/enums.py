"""caremap's own code lists for long-term support (the national ones are data: lists.py)."""

from caremap.core.enums import LabelledEnum, labelled


class AssessmentKind(LabelledEnum):
    """Which Care Act assessment: of a person's needs (s9) or of a carer's (s10). CLD records
    both as Assessment events; a carer's carries Client Type "Unpaid carer" and the carer
    fields."""

    NEEDS = "needs_assessment"
    CARERS = "carers_assessment"


labelled(
    AssessmentKind,
    {
        AssessmentKind.NEEDS: "Care Act needs assessment",
        AssessmentKind.CARERS: "Carer's assessment",
    },
)
