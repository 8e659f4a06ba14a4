"""A referral's life: its statuses, and which of them keep work open."""

import enum


class ReferralStatus(enum.StrEnum):
    RECEIVED = "received"
    ROUTED = "routed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REDIRECTED = "redirected"
    ACTIVE = "active"
    CLOSED = "closed"


# A service with a referral in one of these has a reason to see the person's record.
OPEN_STATUSES = (ReferralStatus.ROUTED, ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE)
AWAITING_RESPONSE = (ReferralStatus.RECEIVED, ReferralStatus.ROUTED)
