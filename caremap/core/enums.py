"""Code lists whose members carry the words a person reads."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import TypeVar


class LabelledEnum(enum.StrEnum):
    """Stored as its value; shown as its label. Labels are given once, with `labelled`."""

    @property
    def label(self) -> str:
        return type(self).__dict__["_labels"][self]


E = TypeVar("E", bound="LabelledEnum")


def labelled(enum_class: type[E], labels: Mapping[E, str]) -> type[E]:
    """Attach every member's label, refusing a code list with a member left unlabelled
    (it would show as a blank on a page or in an export)."""
    missing = [member.value for member in enum_class if member not in labels]
    if missing:
        raise ValueError(f"{enum_class.__name__} has no label for {', '.join(missing)}")
    type.__setattr__(enum_class, "_labels", dict(labels))
    return enum_class
