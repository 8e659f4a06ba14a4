"""Flags shown at the top of every view of a person.

Each domain adds a provider in its `register(app)` (`add_flag_provider`); adding a
kind of flag touches that domain only, never the banner. A provider answers for many
people at once, so a caseload of 200 costs what a single record does.

A provider is best a FlagSource: the SELECT of its rows for the people asked about
(columns named from SLOTS), and the flags made from those rows. Every source's SELECT
is sent as one UNION ALL, so the flags of a person or of a caseload cost one statement
whatever the number of domains (they were nine, one or two per provider). The SELECTs
take the people's ids through `among(column)` and today as a date, so the UNION is
built and compiled once a day, not on every request: for one person (a record read)
`among` is `column = :id`, whose SQL text never changes; for a caseload it is one
expanding bound parameter, whose text is written out for each length of list (0.1 ms
of CPU a read that one person need not pay). Not an array (core/in_list.py): for one
person PostgreSQL chose a custom plan for the array form on every run (2-3 ms of
planning at 454,500 people), and its cached generic plan for one scalar parameter
(0.7 ms in all). Settings a
flag depends on (the polypharmacy thresholds) are read inside that statement, so they
are never stale and never a statement of their own. A plain function (people → flags)
is still accepted, and costs its own statements.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import flask
import sqlalchemy as sa

from caremap.core import clock, registry
from caremap.core.db import UTCDateTime
from caremap.core.direct import DirectStatement
from caremap.core.extensions import db

SEVERITIES = ("info", "warning", "high")


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    severity: str = "info"
    since: dt.date | None = None
    detail: str | None = None
    link: str | None = None  # where the detail is, for those allowed to follow it

    @property
    def tag_class(self) -> str:
        return {
            "info": "govuk-tag--blue",
            "warning": "govuk-tag--yellow",
            "high": "govuk-tag--red",
        }[self.severity]


# The columns a FlagSource's SELECT may have, by name, and their types: every source's
# rows travel in one UNION ALL, so they share one shape (unnamed slots are NULL).
SLOTS: dict[str, sa.types.TypeEngine] = {
    "person_id": sa.Integer(),
    "text1": sa.String(),
    "text2": sa.String(),
    "day1": sa.Date(),
    "day2": sa.Date(),
    "number1": sa.Integer(),
    "number2": sa.Integer(),
    "at": UTCDateTime(),
}

# people → {person id: flags}; people without flags may be left out of the answer
FlagFunction = Callable[[Sequence[Any]], dict[int, list[Flag]]]
# column → the condition "this column is the id of one of the people asked about"
Among = Callable[[Any], sa.ColumnElement[bool]]


@dataclass(frozen=True)
class FlagSource:
    """A provider in two halves. `rows(among, today)`: a SELECT with a `person_id` column
    and others named from SLOTS, for the people asked about (`among(column)` is the
    condition that the column holds one of their ids) on the day `today` (a date).
    `flags(people, rows)`: {person id: flags} from the rows it selected (each row has
    every slot)."""

    rows: Callable[[Among, dt.date], sa.Select]
    flags: Callable[[Sequence[Any], list[Any]], dict[int, list[Flag]]]


FlagProvider = FlagSource | FlagFunction


def add_flag_provider(app: flask.Flask, provider: FlagProvider) -> None:
    registry.add(app, "flag_providers", provider)


def _in_shape(source: int, stmt: sa.Select) -> sa.Select:
    selected = stmt.subquery()
    columns = [sa.literal(source, sa.Integer()).label("source")]
    for name, type_ in SLOTS.items():
        if name in selected.c:
            columns.append(sa.type_coerce(selected.c[name], type_).label(name))
        else:
            columns.append(sa.cast(sa.null(), type_).label(name))
    return sa.select(*columns)


_STATEMENT = "caremap.flag_statement"


def _union(sources: list[tuple[int, FlagSource]], today: dt.date, one: bool) -> DirectStatement:
    """Every source's SELECT as one UNION ALL, built once a day per app for one person
    (`flag_person`) and for many (`flag_people`, expanding): building and compiling it
    was a third of a record's CPU when made afresh for each request. It runs on the
    driver (core/direct.py)."""
    key = (tuple(index for index, _ in sources), today)
    built = flask.current_app.extensions.setdefault(_STATEMENT, {})
    cached = built.get(one)
    if cached is not None and cached[0] == key:
        return cached[1]

    if one:
        person = sa.bindparam("flag_person", type_=sa.Integer())

        def among(column: Any) -> sa.ColumnElement[bool]:
            return column == person

    else:
        ids = sa.bindparam("flag_people", expanding=True)

        def among(column: Any) -> sa.ColumnElement[bool]:
            return column.in_(ids)

    selects = [_in_shape(index, source.rows(among, today)) for index, source in sources]
    union = DirectStatement(selects[0] if len(selects) == 1 else sa.union_all(*selects))
    built[one] = (key, union)
    return union


def _source_rows(sources: list[tuple[int, FlagSource]], people: Sequence[Any]) -> dict[int, list]:
    """Every source's rows for these people, in one statement."""
    found: dict[int, list] = {index: [] for index, _ in sources}
    if not sources:
        return found
    ids = list(dict.fromkeys(person.id for person in people))
    one = len(ids) == 1
    union = _union(sources, clock.today(), one)
    params = {"flag_person": ids[0]} if one else {"flag_people": ids}
    # After anything pending in the session is written, as the ORM's autoflush would.
    db.session.flush()
    for row in union.all(db.session, params):
        found[row.source].append(row)
    return found


def flags_for_many(people: Sequence[Any]) -> dict[int, list[Flag]]:
    found: dict[int, list[Flag]] = {person.id: [] for person in people}
    if not people:
        return found
    providers = list(registry.items("flag_providers"))
    sources = [(i, p) for i, p in enumerate(providers) if isinstance(p, FlagSource)]
    rows = _source_rows(sources, people)
    for index, provider in enumerate(providers):
        if isinstance(provider, FlagSource):
            answer = provider.flags(people, rows[index])
        else:
            answer = provider(people)
        for person_id, flags in answer.items():
            found[person_id].extend(flags)
    return {
        person_id: sorted(flags, key=lambda f: (-SEVERITIES.index(f.severity), f.label))
        for person_id, flags in found.items()
    }


def flags_for(person: Any) -> list[Flag]:
    return flags_for_many([person])[person.id]
