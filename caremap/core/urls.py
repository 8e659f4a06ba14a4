"""URL converters: an id in a path is a database integer, or the page is not there."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

from caremap.core.schemas import LARGEST_INTEGER


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:...>` that matches only ids the database can hold: /people/99999999999 is a
    404 like any id that does not exist, never a database error."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", LARGEST_INTEGER)
        super().__init__(map, *args, **kwargs)
