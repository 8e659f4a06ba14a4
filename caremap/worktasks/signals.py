"""What work tasks tell the domains above them. Receivers run inside the request's
transaction: a DomainError raised by one rolls the whole request back."""

from blinker import Namespace

_signals = Namespace()

task_completed = _signals.signal(
    "task-completed",
    doc="A task was marked done by its owner. Sent with the task (flushed, already done), "
    "actor=, outcome= (what the owner recorded) and seen_versions= (the versions of the "
    "other rows the owner saw beside the task, by name: episode_version). The domain that "
    "set the task records the outcome on its own rows, checking those versions as any "
    "edit would: a day-91 follow-up's outcome belongs to the episode; a medication "
    "review task closes with a review recorded, or a reason it is not needed.",
)
