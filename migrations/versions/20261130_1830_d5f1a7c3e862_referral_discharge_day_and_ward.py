"""A referral for someone leaving hospital keeps the expected discharge day and the ward,
which the receiving team would otherwise ring the ward to ask.

Revision ID: d5f1a7c3e862
Revises: c4e8a2d6f913
Create Date: 2026-11-30 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d5f1a7c3e862"
down_revision = "c4e8a2d6f913"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("referrals", sa.Column("discharge_on", sa.Date(), nullable=True))
    op.add_column("referrals", sa.Column("discharge_ward", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("discharge_ward")
        batch.drop_column("discharge_on")
