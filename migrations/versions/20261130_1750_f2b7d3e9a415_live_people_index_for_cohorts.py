"""the live people by id, with their postcode, for the indicators' cohorts

Revision ID: f2b7d3e9a415
Revises: c1f4e8a2d0b6
Create Date: 2026-11-30 17:50:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2b7d3e9a415"
down_revision = "c1f4e8a2d0b6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every cohort joins its rows to the live people (and their postcode, for the area
    # filter): an index-only probe instead of hashing the whole people table each time.
    op.create_index(
        "ix_people_live_id",
        "people",
        ["id"],
        unique=False,
        postgresql_include=["postcode"],
        postgresql_where=sa.text("status = 'live'"),
        sqlite_where=sa.text("status = 'live'"),
    )


def downgrade() -> None:
    op.drop_index("ix_people_live_id", table_name="people")
