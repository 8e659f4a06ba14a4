"""Loading the service catalogue from seed/ (or an admin's edit): insert or update by code."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.catalogue.models import Need, Service, Strand, Team
from caremap.catalogue.schemas import CatalogueArgs, NeedListArgs
from caremap.core.errors import DomainError
from caremap.core.extensions import db


def load_catalogue(data: dict[str, Any], *, actor: Any = None) -> dict[str, int]:
    """The catalogue is data (seed/catalogue.json, an admin's edit), so code never names a
    service: upserting by code keeps ids, and the users, referrals and rules that point
    at them, across loads. Returns how many of each were given."""
    catalogue = CatalogueArgs().load(data)
    strands = {s.code: s for s in db.session.scalars(sa.select(Strand))}
    for item in catalogue["strands"]:
        strand = strands.get(item["code"]) or Strand(code=item["code"])
        strand.name, strand.description = item["name"], item["description"]
        strands[item["code"]] = strand
        db.session.add(strand)
    services = {s.code: s for s in db.session.scalars(sa.select(Service))}
    for item in catalogue["services"]:
        if item["strand"] not in strands:
            raise DomainError(
                f"unknown strand {item['strand']!r} for service {item['code']!r}", field="strand"
            )
        service = services.get(item["code"]) or Service(code=item["code"])
        service.name, service.description = item["name"], item["description"]
        service.key_working = item["key_working"]
        service.strand = strands[item["strand"]]
        services[item["code"]] = service
        db.session.add(service)
    teams = {t.code: t for t in db.session.scalars(sa.select(Team))}
    for item in catalogue["teams"]:
        if item["service"] not in services:
            raise DomainError(
                f"unknown service {item['service']!r} for team {item['code']!r}", field="service"
            )
        team = teams.get(item["code"]) or Team(code=item["code"])
        team.name = item["name"]
        team.service = services[item["service"]]
        db.session.add(team)
    db.session.flush()
    counts = {key: len(catalogue[key]) for key in ("strands", "services", "teams")}
    audit.record(actor, "catalogue.load", changes=counts)
    return counts


def load_needs(data: dict[str, Any]) -> int:
    """Referrals name needs by code and routing rules match on those codes, so a need is
    updated in place by its code, never replaced. Returns how many were given."""
    needs = NeedListArgs().load(data)["needs"]
    existing = {n.code: n for n in db.session.scalars(sa.select(Need))}
    for item in needs:
        need = existing.get(item["code"]) or Need(code=item["code"])
        need.label, need.group = item["label"], item["group"]
        db.session.add(need)
    db.session.flush()
    return len(needs)
