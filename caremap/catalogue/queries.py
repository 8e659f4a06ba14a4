"""The read side of the catalogue."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.catalogue.models import Need
from caremap.core.extensions import db


def all_needs() -> list[Need]:
    return list(db.session.scalars(sa.select(Need).order_by(Need.group, Need.label)))
