"""Forms held between a post and the page that shows it (post/redirect/get).

A form that shows a warning or a preview before the real submit (likely duplicates, a
referral's "check your answers", a routing rule's trial) used to answer its POST with a
page: the back button then asked to "Confirm form resubmission". Now the POST holds what
was typed here, server side, and redirects (303) to a GET that shows it again; the
final submit takes it, once.

What is held may be a person's details, so it stays in the database: the session cookie
is signed, not encrypted, and a URL is logged. The URL carries only a random token, and
only the user who made it may read it, for an hour; it is deleted when used, and expired
ones are deleted whenever another form is held.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import sqlalchemy as sa
from flask_wtf.csrf import generate_csrf
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from caremap.core.db import Base, utcnow
from caremap.core.extensions import db

HELD_FOR = dt.timedelta(hours=1)
# The token's name in a query string (the GET) and in a form (the final submit).
TOKEN = "held"
# Fields not held: the CSRF token is the session's and made again; buttons are the choice
# that was made, not what was typed.
_NOT_HELD = {"csrf_token", TOKEN, "submit", "preview", "send", "save"}

GONE = (
    "This form is no longer held: it was already sent, or it was left for more than an "
    "hour. Nothing more was saved from it. Check before filling it in again."
)


class PendingForm(Base):
    """A form a user has posted and not yet confirmed: what they typed, for an hour."""

    __tablename__ = "pending_forms"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # Which form: a token held for one form is no answer for another.
    kind: Mapped[str] = mapped_column(sa.String(80))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


def hold(*, user_id: int, kind: str, payload: dict[str, Any], token: str | None = None) -> str:
    """Keep `payload` for this user and return the token that names it.

    `token` names a form just taken (`take`) that is held again (the warning changed, or
    a question was still unanswered): the page keeps its address, so the back button
    leads to a page as it was, not to one no longer held."""
    now = utcnow()
    db.session.execute(sa.delete(PendingForm).where(PendingForm.expires_at <= now))
    token = token or secrets.token_urlsafe(24)
    db.session.add(
        PendingForm(
            id=token,
            user_id=user_id,
            kind=kind,
            payload=payload,
            created_at=now,
            expires_at=now + HELD_FOR,
        )
    )
    db.session.flush()
    return token


def _mine(token: str, user_id: int, kind: str):
    return (
        PendingForm.id == token,
        PendingForm.user_id == user_id,
        PendingForm.kind == kind,
        PendingForm.expires_at > utcnow(),
    )


def _looks_like_a_token(token: str | None) -> bool:
    return bool(token) and len(token) <= 64


def held(token: str | None, *, user_id: int, kind: str) -> dict[str, Any] | None:
    """What the token holds, or None when it names nothing of this user's and kind (used,
    expired, another user's, another form's, or made up): all alike, so nothing leaks."""
    if not _looks_like_a_token(token):
        return None
    return db.session.scalar(sa.select(PendingForm.payload).where(*_mine(token, user_id, kind)))


def take(token: str | None, *, user_id: int, kind: str) -> dict[str, Any] | None:
    """Use the held form: its payload, deleted in this request's transaction. A second use
    finds nothing (on PostgreSQL a concurrent one waits for the first to commit, then
    finds nothing); a request that fails (4xx) rolls the delete back with the rest."""
    payload = held(token, user_id=user_id, kind=kind)
    if payload is None:
        return None
    deleted = db.session.execute(sa.delete(PendingForm).where(*_mine(token, user_id, kind)))
    return payload if deleted.rowcount == 1 else None


def form_payload(formdata: MultiDict) -> dict[str, list[str]]:
    """A posted form as it can be held: every field's values, but the token and buttons."""
    return {k: v for k, v in formdata.lists() if k not in _NOT_HELD}


def as_formdata(fields: dict[str, list[str]]) -> MultiDict:
    """A held form as a form reads a post, with this session's CSRF token, so a form built
    from it validates as the post did."""
    data = MultiDict([(k, v) for k, values in fields.items() for v in values])
    data["csrf_token"] = generate_csrf()
    return data
