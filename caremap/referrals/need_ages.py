"""Which needs apply to a person of a given age (seed/need_ages.json): the referral form
offers only those, and a referral naming another is refused, since no rule could route it."""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa

from caremap.catalogue.models import Need
from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.core.seeds import read_seed


@cache
def _limits() -> dict[str, tuple[int | None, int | None]]:
    """need code -> (youngest, oldest) it applies to; a need not listed applies to all."""
    data = read_seed("need_ages.json")
    limits: dict[str, tuple[int | None, int | None]] = {}
    for code in data["children_only"]["needs"]:
        limits[code] = (None, data["children_only"]["age_max"])
    for code in data["adults_only"]["needs"]:
        limits[code] = (data["adults_only"]["age_min"], None)
    return limits


def applies(code: str, age: int) -> bool:
    youngest, oldest = _limits().get(code, (None, None))
    return (youngest is None or age >= youngest) and (oldest is None or age <= oldest)


def check_ages(codes: list[str], labels: dict[str, str], age: int) -> None:
    """Refuse needs that do not apply at this age, naming them in words."""
    wrong = [code for code in codes if not applies(code, age)]
    if wrong:
        names = ", ".join(f"“{labels.get(code, code)}”" for code in wrong)
        who = "a child" if age < 18 else "an adult"
        raise DomainError(f"{names} cannot be chosen for {who} (aged {age})", field="needs")


def check_needs(needs: list[str], *, age: int) -> list[Need]:
    """The coded needs, in the order given, refusing a code the catalogue does not know or
    one not applying at the person's age: no rule would match it, so the referral would
    silently fall through."""
    known = {n.code: n for n in db.session.scalars(sa.select(Need).where(Need.code.in_(needs)))}
    unknown = [code for code in needs if code not in known]
    if unknown:
        raise DomainError(f"unknown need code(s): {', '.join(unknown)}", field="needs")
    check_ages(needs, {code: n.label for code, n in known.items()}, age)
    return [known[code] for code in dict.fromkeys(needs)]
