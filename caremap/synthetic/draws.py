"""Small random draws and date sums shared by the phases.

Each draw takes the city's one random.Random: a phase that made its own would break
"same seed, same rows" the moment phases were reordered or one drew one number more.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

DAY = dt.timedelta(days=1)
# Letters the inward code of a UK postcode may use.
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def poisson(rng: random.Random, threshold: float) -> int:
    """A Poisson draw given exp(-lambda) (Knuth's method: the lambdas here are small, so
    it is quicker than anything cleverer)."""
    k, p = 0, rng.random()
    while p > threshold:
        k += 1
        p *= rng.random()
    return k


def choice_weighted(rng: random.Random, table: Mapping[str, float]) -> str:
    """One key of a {key: share} table; one rng.random() whatever the table, so the
    draws after it do not depend on its length."""
    u, acc = rng.random(), 0.0
    for key, weight in table.items():
        acc += weight
        if u < acc:
            return key
    return key


def pick(rng: random.Random, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
    """One of the options from a lookup table. A single option draws nothing, so a table
    can fix a value without moving every draw after it."""
    if len(options) == 1:
        return options[0]
    if weights is None:
        return rng.choice(options)
    u, acc = rng.random(), 0.0
    for option, weight in zip(options, weights, strict=True):
        acc += weight
        if u < acc:
            return option
    return options[-1]


def rate_for(bands: list[dict[str, Any]], age: int, key: str) -> Any:
    """The figure for an age from calibration bands ({age_from, age_to or null, key})."""
    for band in bands:
        if age >= band["age_from"] and (band["age_to"] is None or age <= band["age_to"]):
            return band[key]
    return bands[-1][key]


def utc(day: dt.date, seconds: int = 36000) -> dt.datetime:
    """A moment on a day, as the database stores it (aware UTC: COPY takes no naive times)."""
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


def rand_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """One randrange per day drawn, whatever the span, so spans can change freely."""
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def postcode(rng: random.Random, district: str) -> str:
    """A postcode in the district that passes the real validator (never a real address
    list: the inward code is drawn)."""
    return (
        f"{district} {rng.randint(1, 9)}"
        f"{_INWARD_LETTERS[rng.randrange(20)]}{_INWARD_LETTERS[rng.randrange(20)]}"
    )


def typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard: a letter dropped, doubled or two swapped, as the
    duplicates a matcher must find are usually made."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1 :]
    if edit == "swap" and name[i - 1] != name[i]:
        return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]
    return name[:i] + name[i] + name[i:]
