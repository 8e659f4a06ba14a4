"""The service catalogue and the coded needs, read-only."""

from __future__ import annotations

import sqlalchemy as sa
from flask.views import MethodView
from flask_login import login_required
from marshmallow import fields

from caremap.catalogue import queries
from caremap.catalogue.models import Service, Strand
from caremap.catalogue.schemas import NeedSchema
from caremap.core.api import ApiBlueprint
from caremap.core.extensions import db
from caremap.core.schemas import OutputSchema

blp = ApiBlueprint(
    "catalogue-api",
    __name__,
    url_prefix="/api/v1",
    description="Strands, services and teams; the coded needs a referral can name",
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


@blp.route("/catalogue/services")
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


@blp.route("/needs")
class Needs(MethodView):
    decorators = [login_required]

    @blp.response(200, NeedSchema(many=True))
    def get(self):
        """The coded needs a referral can name."""
        return queries.all_needs()
