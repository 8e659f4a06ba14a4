"""What work tasks tell the domains above them. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

task_completed = _signals.signal(
    "task-completed",
    doc="A task was marked done by its owner. Sent with the task (flushed, already done), "
    "actor= and outcome= (what the owner recorded). The domain that set the task records "
    "the outcome on its own rows: a day-91 follow-up's outcome belongs to the episode.",
)
