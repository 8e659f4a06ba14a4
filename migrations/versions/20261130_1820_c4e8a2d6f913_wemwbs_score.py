"""An optional WEMWBS total (Warwick-Edinburgh Mental Wellbeing Scale, 14-70) on Care Act
assessments and reviews: the strategy's "Average WEMWBS Score" reads it.

Revision ID: c4e8a2d6f913
Revises: 7a3d9c5e1f24
Create Date: 2026-11-30 18:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4e8a2d6f913"
down_revision = "7a3d9c5e1f24"
branch_labels = None
depends_on = None

TABLES = ("care_assessments", "care_reviews")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("wemwbs_score", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("wemwbs_score")
