"""sign-in attempts by source address

Revision ID: d4f8a2c61e07
Revises: a7c3e91d5b20
Create Date: 2026-11-30 14:45:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d4f8a2c61e07"
down_revision = "a7c3e91d5b20"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sign_in_attempts", sa.Column("source_address", sa.String(45), nullable=True))
    op.create_index(
        "ix_sign_in_attempts_source_address_attempted_at",
        "sign_in_attempts",
        ["source_address", "attempted_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempts_source_address_attempted_at", "sign_in_attempts")
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_column("source_address")
