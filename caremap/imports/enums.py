"""The code lists of a bulk import."""

from caremap.core.enums import LabelledEnum, labelled


class ImportKind(LabelledEnum):
    PEOPLE = "people"
    EVENTS = "events"


labelled(ImportKind, {ImportKind.PEOPLE: "People", ImportKind.EVENTS: "History (events)"})


class RunStatus(LabelledEnum):
    RUNNING = "running"
    FINISHED = "finished"
    REFUSED = "refused"  # the file as a whole (its header): nothing was read


labelled(
    RunStatus,
    {RunStatus.RUNNING: "Running", RunStatus.FINISHED: "Finished", RunStatus.REFUSED: "Refused"},
)


class HeldStatus(LabelledEnum):
    WAITING = "waiting"
    LINKED = "linked"
    CREATED = "created"
    REJECTED = "rejected"


labelled(
    HeldStatus,
    {
        HeldStatus.WAITING: "Waiting for a decision",
        HeldStatus.LINKED: "Linked to an existing record",
        HeldStatus.CREATED: "Created as a new record",
        HeldStatus.REJECTED: "Rejected",
    },
)
