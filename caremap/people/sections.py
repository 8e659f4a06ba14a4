"""Sections of the person record that other domains fill (referrals and episodes, say).

The record page belongs to people, which sits below the domains that hold a person's
referrals; each of those adds a section in its `register(app)`, and the page shows
the sections in the order the domains were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import flask

from caremap.core import registry
from caremap.people.models import Person


@dataclass(frozen=True)
class RecordSection:
    template: str  # included in people/record.html with `section` set to what `load` returns
    load: Callable[[Person, list[int]], dict[str, Any]]  # (person, ids of merged records)


def add_record_section(app: flask.Flask, section: RecordSection) -> None:
    registry.add(app, "record_sections", section)


def record_sections(person: Person, ids: list[int]) -> list[tuple[str, dict[str, Any]]]:
    return [(s.template, s.load(person, ids)) for s in registry.items("record_sections")]
