"""Which function computes which indicator: the one place codes meet SQL.

`@cohort("ASCOF-2B")` above a function makes it the cohort of that entry in
seed/indicators.json. The function lives in the module named after the entry's
strand (cohorts/urgent_care.py for ASCOF-2B), takes a Context and, as keyword
arguments, the entry's `parameters`, and returns a SELECT of the shape described in
rows.py. Several codes may share one function when only their parameters differ
(MN-CORE, MN-EDGE and MN-STABLE).

Importing anything from caremap.indicators.cohorts imports every theme module first
(the package's __init__ does), so the registry is complete before it is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

import sqlalchemy as sa

from caremap.indicators.cohorts.rows import Context, narrowed
from caremap.indicators.definitions import Definition
from caremap.indicators.results import Filters

CohortFunction = Callable[..., sa.Select]
F = TypeVar("F", bound=CohortFunction)

_REGISTERED: dict[str, CohortFunction] = {}


def cohort(code: str) -> Callable[[F], F]:
    """Register the decorated function as the cohort of indicator `code`.

    The code sits on the SQL that answers it, so a search for the code finds both the
    definition and its computation; a second function for one code fails at import,
    not with a figure quietly computed by the wrong one.
    """

    def register(function: F) -> F:
        if code in _REGISTERED:
            raise ValueError(
                f"{code} already has a cohort, {_REGISTERED[code].__qualname__}: "
                f"{function.__qualname__} cannot be a second one"
            )
        _REGISTERED[code] = function
        return function

    return register


def registered() -> Mapping[str, CohortFunction]:
    """Every registered code and its function (read-only), for the checks that each
    definition has one cohort and each cohort a definition."""
    return MappingProxyType(_REGISTERED)


def cohort_select(
    definition: Definition, ctx: Context, filters: Filters | None = None
) -> sa.Select:
    """An indicator's cohort for a period, narrowed by the filters.

    The parameters come from the definition, so they are written once, in the JSON;
    the figures and the drill-down both read this one SELECT, so the people listed are
    the people counted.
    """
    function = _REGISTERED[definition.code]
    return narrowed(function(ctx, **dict(definition.parameters)), filters or Filters())
