"""What episodes of care tell the domains above them. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

episode_ended = _signals.signal(
    "episode-ended",
    doc="An episode of care ended. Sent with the episode (flushed, ended_on and end_reason "
    "set) and actor=. The referral it came from closes with the same outcome.",
)
