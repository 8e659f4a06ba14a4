"""Appending to the audit trail. Nothing updates or deletes an audit row."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import flask
import sqlalchemy as sa

from caremap.audit.integrity import audit_key, row_mac
from caremap.audit.models import AuditEvent
from caremap.core.db import utcnow
from caremap.core.direct import DirectStatement
from caremap.core.extensions import db
from caremap.core.transaction import keep_on_failure


def record(
    actor: Any,
    action: str,
    *,
    person: Any = None,
    person_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str | None = None,
    is_read: bool = False,
) -> AuditEvent:
    """Append one audit row in the current transaction.

    Reads (`is_read=True`) are kept even when the request fails, since the
    person's data may already have been shown.
    """
    values = {
        "at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "action": action,
        "person_id": person.id if person is not None else person_id,
        "changes": jsonable(changes) if changes else None,
        "reason": reason,
        "request_id": flask.g.get("request_id") if flask.has_request_context() else None,
    }
    values["mac"] = row_mac(audit_key(), values)
    event = AuditEvent(**values)
    db.session.add(event)
    if is_read and flask.has_request_context():
        keep_on_failure(AuditEvent, values)
    return event


# The table's INSERT on the session's connection: no ORM bulk-insert machinery per call.
_INSERT = AuditEvent.__table__.insert()
_READ_COLUMNS = ("at", "actor_id", "action", "person_id", "changes", "reason", "request_id", "mac")
# One read's row, sent on the driver (core/direct.py): the hottest write there is.
_INSERT_ONE_READ = DirectStatement(
    AuditEvent.__table__.insert()
    .values({name: sa.bindparam(name) for name in _READ_COLUMNS})
    .inline()  # the new id is not wanted: no RETURNING
)


def record_read(
    actor: Any, action: str, *, person_id: int | None, changes: dict[str, Any] | None = None
) -> None:
    """`record(..., is_read=True)` as one INSERT sent at once, with no object for the
    session to flush at the commit (the hot paths: the record JSON, a search); kept on
    failure."""
    values = {
        "at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "action": action,
        "person_id": person_id,
        "changes": jsonable(changes) if changes else None,
        "reason": None,
        "request_id": flask.g.get("request_id") if flask.has_request_context() else None,
    }
    values["mac"] = row_mac(audit_key(), values)
    _INSERT_ONE_READ.run(db.session, values)
    if flask.has_request_context():
        keep_on_failure(AuditEvent, values)


def record_reads(actor: Any, action: str, person_ids: list[int]) -> None:
    """One read row per person shown in a list (a caseload, a queue), in one statement."""
    request_id = flask.g.get("request_id") if flask.has_request_context() else None
    rows = [
        {
            "at": utcnow(),
            "actor_id": getattr(actor, "id", None),
            "action": action,
            "person_id": pid,
            "changes": None,
            "reason": None,
            "request_id": request_id,
        }
        for pid in dict.fromkeys(person_ids)
    ]
    if not rows:
        return
    key = audit_key()
    for row in rows:
        row["mac"] = row_mac(key, row)
    db.session.connection().execute(_INSERT, rows)
    if flask.has_request_context():
        for row in rows:
            keep_on_failure(AuditEvent, row)


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [jsonable(before.get(key)), jsonable(value)]
        for key, value in after.items()
        if before.get(key) != value
    }
