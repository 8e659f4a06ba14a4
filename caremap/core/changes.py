"""A change a user may make to a row, declared once for its page and its API.

A page and an endpoint that do the same thing differ only in how they reply: both
load the row (its read audited as the change's action), validate with the same Args,
and call the same operation. Declaring the three once keeps them from drifting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import marshmallow as ma

# (actor, the row, the loaded Args) → what the operation returns
Operate = Callable[[Any, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class Change:
    action: str  # the row's read is audited as this
    args: type[ma.Schema]  # a form post and a JSON body load the same
    operate: Operate


def as_given(operation: Callable[..., Any], *, row: str, **renamed: str) -> Operate:
    """An operation whose keywords are its Args' fields (those in `renamed` under the
    operation's own name for them), with the row passed as the keyword `row`."""

    def operate(actor: Any, target: Any, args: dict[str, Any]) -> Any:
        given = {renamed.get(name, name): value for name, value in args.items()}
        return operation(actor=actor, **{row: target}, **given)

    return operate
