"""The service catalogue, read-only, under /api/v1/catalogue."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import login_required
from marshmallow import fields

from caremap.catalogue.models import Service, Strand
from caremap.core.api import ApiBlueprint
from caremap.core.schemas import OutputSchema
from caremap.extensions import db

blp = ApiBlueprint(
    "catalogue-api",
    __name__,
    url_prefix="/api/v1/catalogue",
    description="Strands, services and teams",
)


class TeamSchema(OutputSchema):
    code = fields.String()
    name = fields.String()


class ServiceSchema(OutputSchema):
    code = fields.String()
    name = fields.String()
    description = fields.String()
    strand = fields.Function(lambda s: s.strand.code)
    key_working = fields.Boolean()
    teams = fields.List(fields.Nested(TeamSchema))


@blp.route("/services")
class Services(MethodView):
    decorators = [login_required]

    @blp.response(200, ServiceSchema(many=True))
    def get(self):
        """Every active service, by strand, with its teams."""
        stmt = (
            sa.select(Service)
            .join(Service.strand)
            .where(Service.is_active.is_(True))
            .order_by(Strand.code, Service.name)
            .options(sa.orm.selectinload(Service.teams), sa.orm.joinedload(Service.strand))
        )
        return db.session.scalars(stmt).all()
