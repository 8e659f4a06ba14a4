"""The one stale-edit check: a form or body carries the version it was read at."""

from __future__ import annotations

from typing import Any

from caremap.core.errors import StaleVersionError


def check_version(row: Any, version: int | None, *, field: str = "version") -> None:
    """Refuse an edit made against an older copy of the row (someone saved in between), so
    the second of two editors is told rather than silently overwriting the first."""
    if version != row.version:
        raise StaleVersionError(current_version=row.version, field=field)
