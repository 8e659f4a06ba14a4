"""Flags shown at the top of every view of a person.

Each domain adds a provider in its `register(app)` (`add_flag_provider`); adding a
kind of flag touches that domain only, never the banner. A provider answers for many
people at once, in a fixed number of queries, so a caseload of 200 costs what a single record does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import flask

from caremap.core import registry

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


# people → {person id: flags}; people without flags may be left out of the answer
FlagProvider = Callable[[Sequence[Any]], dict[int, list[Flag]]]


def add_flag_provider(app: flask.Flask, provider: FlagProvider) -> None:
    registry.add(app, "flag_providers", provider)


def flags_for_many(people: Sequence[Any]) -> dict[int, list[Flag]]:
    found: dict[int, list[Flag]] = {person.id: [] for person in people}
    if not people:
        return found
    for provider in registry.items("flag_providers"):
        for person_id, flags in provider(people).items():
            found[person_id].extend(flags)
    return {
        person_id: sorted(flags, key=lambda f: (-SEVERITIES.index(f.severity), f.label))
        for person_id, flags in found.items()
    }


def flags_for(person: Any) -> list[Flag]:
    return flags_for_many([person])[person.id]
