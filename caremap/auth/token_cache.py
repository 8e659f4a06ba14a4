"""A token's user, kept briefly in each worker, so an API call costs no query to say who
is calling (it was one statement and three objects built on every call).

What is kept is a plain copy of the token, its user and their team, never an object of
any session; a request gets it merged into its own session without a query
(`merge(load=False)`). Revoking a token, or changing or deactivating a user, forgets
every kept token in this worker at once; other workers forget within
TOKEN_CACHE_SECONDS (5 by default; 0 keeps nothing). That is the whole delay before a
revocation holds everywhere: docs/SECURITY.md. A rollback forgets them too: what was
read in a transaction that is undone may never have been (the test suite undoes every
test this way).
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

import flask
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import make_transient_to_detached

from caremap.auth.models import ApiToken
from caremap.core.extensions import db

_lock = threading.Lock()
# One store per engine (per database), forgotten whenever a transaction on it rolls back.
_stores: weakref.WeakKeyDictionary[sa.Engine, dict[str, tuple[float, ApiToken]]] = (
    weakref.WeakKeyDictionary()
)


def _store() -> dict[str, tuple[float, ApiToken]]:
    engine = db.engine
    store = _stores.get(engine)
    if store is None:
        with _lock:
            store = _stores.get(engine)
            if store is None:
                store = _stores[engine] = {}
                event.listen(engine, "rollback", lambda _conn: store.clear())
    return store


def _seconds() -> float:
    return float(flask.current_app.config.get("TOKEN_CACHE_SECONDS", 0) or 0)


def kept(digest: str) -> ApiToken | None:
    """The kept token for this hash, merged into the request's session; None when it is
    not kept or has expired."""
    entry = _store().get(digest)
    if entry is None or entry[0] < time.monotonic():
        return None
    return db.session.merge(entry[1], load=False)


def keep(digest: str, token: ApiToken) -> None:
    seconds = _seconds()
    if seconds <= 0:
        return
    user = token.user
    team = _detached_copy(user.team) if user.team is not None else None
    copy = _detached_copy(token, user=_detached_copy(user, team=team))
    store = _store()
    with _lock:
        if len(store) > 10_000:  # tokens are few; this only bounds a flood of new ones
            store.clear()
        store[digest] = (time.monotonic() + seconds, copy)


def forget_all() -> None:
    """Forget every kept token in this worker: after a revocation or a change to a user."""
    _store().clear()


def _detached_copy(obj: Any, **related: Any) -> Any:
    """A copy holding the row's columns (and the related copies given), detached, as if
    just loaded: ready for merge(load=False)."""
    mapper = sa.inspect(obj).mapper
    copy = mapper.class_manager.new_instance()
    for attribute in mapper.column_attrs:
        setattr(copy, attribute.key, getattr(obj, attribute.key))
    for key, value in related.items():
        setattr(copy, key, value)
    make_transient_to_detached(copy)
    return copy
