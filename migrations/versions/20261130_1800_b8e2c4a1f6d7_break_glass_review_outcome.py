"""a break-glass review records its outcome: appropriate, not appropriate or escalated

Revision ID: b8e2c4a1f6d7
Revises: f2b7d3e9a415
Create Date: 2026-11-30 18:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "b8e2c4a1f6d7"
down_revision = "f2b7d3e9a415"
branch_labels = None
depends_on = None

OUTCOMES = ("appropriate", "not_appropriate", "escalated")


def upgrade() -> None:
    # Reviews made before this have a note but no outcome: left empty, not guessed.
    op.add_column(
        "break_glass",
        sa.Column(
            "review_outcome",
            sa.Enum(*OUTCOMES, name="reviewoutcome", native_enum=False, length=20),
            nullable=True,
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("break_glass") as batch:
        batch.drop_column("review_outcome")
