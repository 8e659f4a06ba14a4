"""Forms held between a post and the page that shows it (post/redirect/get): a likely
duplicate's warning, a referral's preview, a routing rule's trial. What was typed stays
server side for an hour, named by a random token, readable only by the user who typed it.

Revision ID: e3a9c6b14d27
Revises: d5f1a7c3e862
Create Date: 2026-11-30 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e3a9c6b14d27"
down_revision = "d5f1a7c3e862"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending_forms",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(80), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_pending_forms_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_forms")),
    )
    op.create_index(op.f("ix_pending_forms_user_id"), "pending_forms", ["user_id"])
    op.create_index(op.f("ix_pending_forms_expires_at"), "pending_forms", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_pending_forms_expires_at"), table_name="pending_forms")
    op.drop_index(op.f("ix_pending_forms_user_id"), table_name="pending_forms")
    op.drop_table("pending_forms")
