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


# A referral in one of these is open work: routing judges what a person already has by it.
OPEN_STATUSES = (ReferralStatus.ROUTED, ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE)
# A service with a referral in one of these has a reason to see the person's record: it
# took the work on. A routed referral is only a request (anyone may make one, to any
# service, their own included), so it shows the receiving service the referral, not the
# record, until the service accepts it.
ACCESS_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.ACTIVE)
AWAITING_RESPONSE = (ReferralStatus.RECEIVED, ReferralStatus.ROUTED)
