"""The audit trail is tamper-evident: an edited, slipped-in or deleted row is found.

How (docs/SECURITY.md has the threat model):
- Each row carries an HMAC of its content (`mac`), written with the row by
  `audit.record`. The key (CAREMAP_AUDIT_KEY) is held outside the database, so someone
  who can write to the database cannot forge one.
- Once rows have settled (every transaction that wrote one has ended), `seal` chains
  them in id order: each link in `audit_seals` names the row before it and carries
  HMAC(key, previous link, row id, row HMAC). Sealing is one batch job that appends;
  requests never wait on each other to extend a chain, so the audit write is no
  bottleneck (benchmarks/bench_audit.py measures it).
- `verify` walks rows and links together. A row whose content no longer matches its
  HMAC was edited; a row inside the sealed range without a link, or without an HMAC,
  was slipped in; a link whose row is missing, or that names a predecessor that is
  missing, marks a deleted row.
Rows younger than the settling time are protected by their own HMAC (an edit or a
forged row shows at once); a deletion among them shows from the next seal on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import flask
import sqlalchemy as sa

from caremap.audit.models import AuditEvent, AuditSeal
from caremap.core.db import utcnow
from caremap.core.extensions import db

_CONTENT = ("at", "actor_id", "action", "person_id", "reason", "changes", "request_id")
_SEAL_LOCK = 7_350_001  # PostgreSQL advisory lock: one sealer at a time


def audit_key(config: Mapping[str, Any] | None = None) -> bytes:
    """The HMAC key: CAREMAP_AUDIT_KEY in production (required there); elsewhere derived
    from the secret key, so development and tests need no extra setting."""
    config = config if config is not None else flask.current_app.config
    if config.get("AUDIT_KEY"):
        return config["AUDIT_KEY"].encode()
    return hmac.new(config["SECRET_KEY"].encode(), b"caremap audit trail", "sha256").digest()


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def row_mac(key: bytes, row: Mapping[str, Any]) -> str:
    """HMAC-SHA256 of a row's content, in a canonical JSON form both backends give back."""
    content = [_timestamp(row["at"]) if name == "at" else row[name] for name in _CONTENT]
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def chain_mac(key: bytes, previous: str, event_id: int, mac: str) -> str:
    return hmac.new(key, f"{previous}|{event_id}|{mac}".encode(), hashlib.sha256).hexdigest()


class AuditTampered(RuntimeError):
    """Raised by `seal` rather than chain a row that no longer matches its HMAC."""


def seal(*, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Chain every settled row not yet chained, in id order; returns how many. Safe to run
    from several machines at once (one waits for the other on PostgreSQL)."""
    key = audit_key()
    cutoff = (now or utcnow()) - dt.timedelta(
        seconds=flask.current_app.config["AUDIT_SEAL_AFTER_SECONDS"]
    )
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _SEAL_LOCK})
    head = db.session.execute(
        sa.select(AuditSeal.event_id, AuditSeal.chain_mac)
        .order_by(AuditSeal.event_id.desc())
        .limit(1)
    ).first()
    last_id, previous = (head.event_id, head.chain_mac) if head else (0, "")
    sealed = 0
    while True:
        rows = db.session.execute(
            sa.select(AuditEvent.id, AuditEvent.mac, *_content_columns())
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(batch)
        ).all()
        links = []
        for row in rows:
            # In id order, and never past a row still young: an older transaction may yet
            # commit a row with a lower id, which must not fall outside the chain.
            if row.at > cutoff:
                break
            mac = row_mac(key, row._mapping)
            if row.mac is not None and not hmac.compare_digest(row.mac, mac):
                raise AuditTampered(f"audit row {row.id} does not match its HMAC: not sealed")
            previous = chain_mac(key, previous, row.id, mac)
            links.append(
                {
                    "event_id": row.id,
                    "prev_event_id": last_id or None,
                    "chain_mac": previous,
                    "sealed_at": utcnow(),
                }
            )
            last_id = row.id
        if links:
            db.session.execute(sa.insert(AuditSeal), links)
            sealed += len(links)
        if len(links) < batch:
            return sealed


@dataclass(frozen=True)
class Problem:
    event_id: int
    kind: str  # edited | inserted | deleted
    detail: str

    def __str__(self) -> str:
        return f"row {self.event_id} {self.kind}: {self.detail}"


@dataclass(frozen=True)
class Verification:
    rows: int
    sealed: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(*, since_id: int | None = None, limit: int = 20) -> Verification:
    """Walk the rows (from `since_id`) and their links together; report the first
    `limit` problems in id order, the first of which is where tampering began."""
    key = audit_key()
    start = since_id or 0
    before = db.session.execute(
        sa.select(AuditSeal.event_id, AuditSeal.chain_mac)
        .where(AuditSeal.event_id < start)
        .order_by(AuditSeal.event_id.desc())
        .limit(1)
    ).first()
    expected_prev, previous = (before.event_id, before.chain_mac) if before else (None, "")
    last_sealed = db.session.scalar(sa.select(sa.func.max(AuditSeal.event_id))) or 0
    problems: list[Problem] = []
    rows = sealed = 0
    for event, link in _merged(start):
        if len(problems) >= limit:
            break
        event_id = event.id if event is not None else link.event_id
        if event is None:
            problems.append(Problem(event_id, "deleted", "its link in the chain remains"))
            expected_prev, previous = link.event_id, link.chain_mac
            continue
        rows += 1
        mac = row_mac(key, event._mapping)
        if event.mac is not None and not hmac.compare_digest(event.mac, mac):
            problems.append(Problem(event_id, "edited", "its content does not match its HMAC"))
        if link is None:
            if event_id < last_sealed:
                problems.append(Problem(event_id, "inserted", "inside the sealed range, unsealed"))
            elif event.mac is None:
                problems.append(Problem(event_id, "inserted", "it has no HMAC"))
            continue
        sealed += 1
        if link.prev_event_id != expected_prev:
            missing = link.prev_event_id if link.prev_event_id is not None else event_id
            problems.append(
                Problem(missing, "deleted", f"the chain at row {event_id} names it, and it is gone")
            )
        broken = not hmac.compare_digest(link.chain_mac, chain_mac(key, previous, event_id, mac))
        already_named = bool(problems) and problems[-1].event_id == event_id
        if broken and not already_named:
            problems.append(Problem(event_id, "edited", "its link does not match the chain"))
        expected_prev, previous = event_id, link.chain_mac
    return Verification(rows=rows, sealed=sealed, problems=problems)


def first_id_on_or_after(day: dt.date) -> int:
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return (
        db.session.scalar(sa.select(sa.func.min(AuditEvent.id)).where(AuditEvent.at >= start)) or 0
    )


def _content_columns() -> list[Any]:
    return [getattr(AuditEvent, name) for name in _CONTENT]


def _merged(start: int) -> Iterator[tuple[Any, Any]]:
    """(row, link) pairs in id order, either side None where the other has no partner."""
    events = db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.mac, *_content_columns())
        .where(AuditEvent.id >= start)
        .order_by(AuditEvent.id)
        .execution_options(yield_per=5000)
    )
    links = db.session.execute(
        sa.select(AuditSeal.event_id, AuditSeal.prev_event_id, AuditSeal.chain_mac)
        .where(AuditSeal.event_id >= start)
        .order_by(AuditSeal.event_id)
        .execution_options(yield_per=5000)
    )
    event, link = next(events, None), next(links, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event.id < link.event_id):
            yield event, None
            event = next(events, None)
        elif event is None or link.event_id < event.id:
            yield None, link
            link = next(links, None)
        else:
            yield event, link
            event, link = next(events, None), next(links, None)
