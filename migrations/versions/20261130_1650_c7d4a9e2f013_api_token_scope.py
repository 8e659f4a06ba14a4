"""api token scope: a token may be limited to the read-only FHIR view

Revision ID: c7d4a9e2f013
Revises: f2a1c0de5e71
Create Date: 2026-11-30 16:50:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c7d4a9e2f013"
down_revision = "f2a1c0de5e71"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every token made before scopes existed could do everything: it stays so.
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(
            sa.Column(
                "scope",
                sa.Enum("full", "fhir_read", name="tokenscope", native_enum=False, length=20),
                nullable=False,
                server_default="full",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("scope")
