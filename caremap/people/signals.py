"""What the person record tells the domains above it. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

person_merged = _signals.signal(
    "person-merged",
    doc="Two records were merged (flushed and audited). Sent with the survivor, actor=, "
    "duplicate=, reason= and registered_by_team_ids= (each record's registering team "
    "before the merge, by record id). The teams who registered either record are told "
    "(worktasks: a merge notice for each), since one of them may have lost the "
    "'registered' relationship and both should know where the person's record is now.",
)
