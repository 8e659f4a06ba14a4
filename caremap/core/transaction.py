"""One commit per request, and what survives a failed one.

A request that answers 400 or more changes nothing: its writes are rolled back.
Some rows must survive that all the same: the audit rows of what was read
(the page still showed the record) and sign-in attempts (lock-out counts
failures). They are registered here and written again after the rollback.
"""

from __future__ import annotations

from typing import Any

import flask

from caremap.core.extensions import db


def keep_on_failure(model: type, values: dict[str, Any]) -> None:
    flask.g.setdefault("kept_rows", []).append((model, values))


def finish_request(response: flask.Response) -> flask.Response:
    session = db.session
    if response.status_code >= 400:
        session.rollback()
        for model, values in flask.g.pop("kept_rows", []):
            session.add(model(**values))
    session.commit()
    return response
