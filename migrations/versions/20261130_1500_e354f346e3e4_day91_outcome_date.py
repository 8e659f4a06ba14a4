"""episodes.day91_outcome_on: the day a day-91 outcome happened (or "at home" was recorded)

Revision ID: e354f346e3e4
Revises: aa3d7f33a37f
Create Date: 2026-11-30 15:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e354f346e3e4"
down_revision = "aa3d7f33a37f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN: no table rebuild on SQLite; outcomes recorded before it stay undated.
    op.add_column("episodes", sa.Column("day91_outcome_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("episodes", schema=None) as batch_op:
        batch_op.drop_column("day91_outcome_on")
