"""What episodes of care tell the domains above them. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

episode_started = _signals.signal(
    "episode-started",
    doc="An episode of care started. Sent with the episode (flushed, with its id) and actor=. "
    "Long-term support makes the CLD Service event a care home admission, reablement or "
    "self-directed support episode is.",
)

episode_ended = _signals.signal(
    "episode-ended",
    doc="An episode of care ended. Sent with the episode (flushed, ended_on and end_reason "
    "set) and actor=. The referral it came from closes with the same outcome.",
)
