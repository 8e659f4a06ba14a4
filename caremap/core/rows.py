"""Finding the one row a request names by its key."""

from __future__ import annotations

from typing import Any, TypeVar

from caremap.core.errors import NotFoundError
from caremap.core.extensions import db

T = TypeVar("T")


def get_or_404(model: type[T], key: Any) -> T:
    """The row, or NotFoundError: a page or the API answers 404 for a row that is not
    there exactly as for one the user may not know exists (the JSON API's own 404 body,
    not werkzeug's)."""
    row = db.session.get(model, key)
    if row is None:
        raise NotFoundError()
    return row
