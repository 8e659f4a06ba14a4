"""The changes to a care team that name a worker, once for the page and the API.

Each is read (and audited) as its action, takes its Args (a form post and a JSON body
load the same schema) and calls its operation with the worker the Args name by user_id;
the rest of the Args are the operation's own keywords.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from caremap.auth.models import User
from caremap.careteam import operations
from caremap.careteam.access import worker
from caremap.careteam.models import CareTeamMember
from caremap.careteam.schemas import AddMemberArgs, AssignLeadArgs
from caremap.core.schemas import ArgsSchema
from caremap.people.models import Person


@dataclass(frozen=True)
class WorkerChange:
    action: str  # the read is audited as this
    args: type[ArgsSchema]
    operation: Callable[..., CareTeamMember]

    def apply(self, *, actor: User, person: Person, args: dict[str, Any]) -> CareTeamMember:
        given = {name: value for name, value in args.items() if name != "user_id"}
        return self.operation(actor=actor, person=person, worker=worker(args["user_id"]), **given)


WORKER_CHANGES: dict[str, WorkerChange] = {
    "lead": WorkerChange("careteam.assign_lead", AssignLeadArgs, operations.assign_lead_key_worker),
    "member": WorkerChange("careteam.add_member", AddMemberArgs, operations.add_member),
}
