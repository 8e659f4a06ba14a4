"""One commit per request, and what survives a failed one.

A request that answers 400 or more changes nothing: its writes are rolled back.
Some rows must survive that all the same: the audit rows of what was read
(the page still showed the record) and sign-in attempts (lock-out counts
failures). They are registered here and written again after the rollback.
"""

from __future__ import annotations

from typing import Any

import flask
import sqlalchemy as sa

from caremap.core.api import database_unavailable
from caremap.core.errors import StaleVersionError
from caremap.core.extensions import db
from caremap.core.faults import is_database_unavailable


def keep_on_failure(model: type, values: dict[str, Any]) -> None:
    flask.g.setdefault("kept_rows", []).append((model, values))


def finish_request(response: flask.Response) -> flask.Response:
    session = db.session
    try:
        if response.status_code >= 400:
            _roll_back_keeping_what_must_survive(session)
        session.commit()
    except sa.orm.exc.StaleDataError:
        # A versioned row flushed at this commit was changed by another writer since
        # this request read it: theirs stands, this request is told so (409) and keeps
        # only what must survive, as any refused request does.
        _roll_back_keeping_what_must_survive(session)
        session.commit()
        refused = flask.current_app.handle_user_exception(StaleVersionError(current_version=-1))
        return flask.make_response(refused)
    except sa.exc.SQLAlchemyError as error:
        # The commit did not happen (or its outcome is unknown to us): nothing of this
        # request is kept, and a lost database is a 503 the client may retry with its
        # Idempotency-Key rather than a 500.
        _discard(session)
        if not is_database_unavailable(error):
            raise
        return database_unavailable()
    return response


def _roll_back_keeping_what_must_survive(session) -> None:
    session.rollback()
    for model, values in flask.g.pop("kept_rows", []):
        session.add(model(**values))


def _discard(session) -> None:
    try:
        session.rollback()
    except sa.exc.SQLAlchemyError:
        session.invalidate()
