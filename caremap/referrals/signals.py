"""What referrals tell the domains above them. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

referral_submitted = _signals.signal(
    "referral-submitted",
    doc="A referral was routed and recorded. Sent with the submission (flushed), actor= and "
    "person=. Being referred makes a young person known to services (transition planning).",
)
