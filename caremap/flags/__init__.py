"""Flags shown at the top of every view of a person.

Each domain registers a provider; adding a kind of flag touches that domain
only, never the banner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SEVERITIES = ("info", "warning", "high")


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    severity: str = "info"
    since: dt.date | None = None
    detail: str | None = None

    @property
    def tag_class(self) -> str:
        return {
            "info": "govuk-tag--blue",
            "warning": "govuk-tag--yellow",
            "high": "govuk-tag--red",
        }[self.severity]


FlagProvider = Callable[[Any], list[Flag]]
_providers: list[FlagProvider] = []


def flag_provider(provider: FlagProvider) -> FlagProvider:
    _providers.append(provider)
    return provider


def flags_for(person: Any) -> list[Flag]:
    flags = [flag for provider in _providers for flag in provider(person)]
    return sorted(flags, key=lambda f: (-SEVERITIES.index(f.severity), f.label))
