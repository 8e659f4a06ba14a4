"""The changes to a care team that name a worker, declared once for the page and the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from caremap.careteam import operations
from caremap.careteam.access import worker
from caremap.careteam.schemas import AddMemberArgs, AssignLeadArgs
from caremap.core.changes import Change, Operate


def _with_worker(operation: Callable[..., Any]) -> Operate:
    """The operation on the person, for the worker the Args name by user_id; the rest of
    the Args are the operation's own keywords."""

    def operate(actor: Any, person: Any, args: dict[str, Any]) -> Any:
        given = {name: value for name, value in args.items() if name != "user_id"}
        return operation(actor=actor, person=person, worker=worker(args["user_id"]), **given)

    return operate


WORKER_CHANGES: dict[str, Change] = {
    "lead": Change(
        "careteam.assign_lead", AssignLeadArgs, _with_worker(operations.assign_lead_key_worker)
    ),
    "member": Change("careteam.add_member", AddMemberArgs, _with_worker(operations.add_member)),
}
