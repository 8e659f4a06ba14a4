"""Loading the service catalogue from seed/ (or an admin's edit): insert or update by code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

from caremap import audit
from caremap.catalogue.models import Need, Service, Strand, Team
from caremap.catalogue.schemas import CatalogueArgs, NeedListArgs
from caremap.core.errors import DomainError
from caremap.core.extensions import db

T = TypeVar("T", Strand, Service, Team, Need)


def load_catalogue(data: dict[str, Any], *, actor: Any = None) -> dict[str, int]:
    """The catalogue is data (seed/catalogue.json, an admin's edit), so code never names a
    service: upserting by code keeps ids, and the users, referrals and rules that point
    at them, across loads. Returns how many of each were given."""
    catalogue = CatalogueArgs().load(data)

    def fill_strand(strand: Strand, item: dict[str, Any]) -> None:
        strand.name, strand.description = item["name"], item["description"]

    def fill_service(service: Service, item: dict[str, Any]) -> None:
        if item["strand"] not in strands:
            raise DomainError(
                f"unknown strand {item['strand']!r} for service {item['code']!r}", field="strand"
            )
        service.name, service.description = item["name"], item["description"]
        service.key_working = item["key_working"]
        service.strand = strands[item["strand"]]

    def fill_team(team: Team, item: dict[str, Any]) -> None:
        if item["service"] not in services:
            raise DomainError(
                f"unknown service {item['service']!r} for team {item['code']!r}", field="service"
            )
        team.name = item["name"]
        team.service = services[item["service"]]

    strands = _upsert_by_code(Strand, catalogue["strands"], fill_strand)
    services = _upsert_by_code(Service, catalogue["services"], fill_service)
    _upsert_by_code(Team, catalogue["teams"], fill_team)
    db.session.flush()
    counts = {key: len(catalogue[key]) for key in ("strands", "services", "teams")}
    audit.record(actor, "catalogue.load", changes=counts)
    return counts


def load_needs(data: dict[str, Any]) -> int:
    """Referrals name needs by code and routing rules match on those codes, so a need is
    updated in place by its code, never replaced. Returns how many were given."""
    needs = NeedListArgs().load(data)["needs"]

    def fill_need(need: Need, item: dict[str, Any]) -> None:
        need.label, need.group = item["label"], item["group"]

    _upsert_by_code(Need, needs, fill_need)
    db.session.flush()
    return len(needs)


def _upsert_by_code(
    model: type[T], items: list[dict[str, Any]], fill: Callable[[T, dict[str, Any]], None]
) -> dict[str, T]:
    """Every row of `model` by code, each item's row updated in place or added."""
    rows = {row.code: row for row in db.session.scalars(sa.select(model))}
    for item in items:
        row = rows.get(item["code"]) or model(code=item["code"])
        fill(row, item)
        rows[item["code"]] = row
        db.session.add(row)
    return rows
