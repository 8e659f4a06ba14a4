"""The facts about a referral that routing rules match on: where it came from, how urgent."""

import enum

from caremap.core.enums import LabelledEnum, labelled


class ReferralSource(LabelledEnum):
    GP = "gp"
    HOSPITAL = "hospital"
    AMBULANCE = "ambulance"
    POLICE = "police"
    NHS_111 = "nhs_111"
    SELF = "self"
    FAMILY_OR_CARER = "family_or_carer"
    OTHER_SERVICE = "other_service"


labelled(
    ReferralSource,
    {
        ReferralSource.GP: "GP surgery",
        ReferralSource.HOSPITAL: "Hospital or emergency department",
        ReferralSource.AMBULANCE: "Ambulance service",
        ReferralSource.POLICE: "Police",
        ReferralSource.NHS_111: "NHS 111",
        ReferralSource.SELF: "The person themselves",
        ReferralSource.FAMILY_OR_CARER: "Family or carer",
        ReferralSource.OTHER_SERVICE: "Another service",
    },
)


class Urgency(enum.StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"
