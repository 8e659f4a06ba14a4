"""The single way a page or endpoint gets a person: load, check access, audit the read.

No page or endpoint reads a person another way, so none can forget the
access rule or the audit row. The one exception, the record JSON (people/record_read.py),
applies the same rule (`access.policy.access_rank`) and writes the same audit row in
fewer statements, raising the same errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from caremap import audit
from caremap.access.policy import Access, AccessDecision, decide
from caremap.auth.models import User
from caremap.core.errors import NotFoundError
from caremap.core.extensions import db
from caremap.people.enums import RecordStatus
from caremap.people.models import Person


class MergedRecordError(NotFoundError):
    def __init__(self, survivor_id: int) -> None:
        super().__init__("merged")
        self.survivor_id = survivor_id


@dataclass(frozen=True)
class LoadedPerson:
    person: Person
    decision: AccessDecision

    @property
    def access(self) -> Access:
        return self.decision.access

    @property
    def full(self) -> bool:
        return self.access == Access.FULL

    @property
    def break_glass(self):
        """The break-glass access this view relies on, while it lasts (for the banner)."""
        return self.decision.break_glass


def load_person(
    person_id: int,
    *,
    user: User,
    action: str = "people.view",
    need: Access = Access.FULL,
    allow_merged: bool = False,
) -> LoadedPerson:
    """The person, if the user may see them at the level needed; else 404.

    Every page and endpoint gets a person here, so none can skip the access rule or
    the read's audit row (the person may ask who has looked at their record). A
    refusal is NotFoundError (404), never 403: someone without a relationship learns
    nothing, not even that there is more to see. A merged record answers with where it
    went, so old links still reach the person.
    """
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFoundError()
    if person.status == RecordStatus.MERGED and not allow_merged:
        raise MergedRecordError(person.merged_into_id)
    decision = decide(user, person)
    if need == Access.FULL and decision.access != Access.FULL:
        raise NotFoundError()
    audit.record(
        user,
        action,
        person=person,
        changes={"access": decision.access.value, "because": decision.because},
        is_read=True,
    )
    return LoadedPerson(person, decision)
