"""stored figures of closed periods; the care team by person

Revision ID: f2a1c0de5e71
Revises: b3c9e5d1a7f2
Create Date: 2026-11-30 16:30:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "f2a1c0de5e71"
down_revision = "b3c9e5d1a7f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Dashboards and trends read the figures of closed periods from here (written by
    # `caremap indicators close-periods`) instead of computing a year of months live.
    op.create_table(
        "indicator_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=7), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("filters_key", sa.String(length=300), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("numerator", sa.Float(), nullable=True),
        sa.Column("denominator", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("definition_key", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_figures")),
        sa.UniqueConstraint(
            "period", "filters_key", "code", name="uq_indicator_figures_period_filters_key_code"
        ),
    )
    op.create_index(
        "ix_indicator_figures_filters_key_kind_start",
        "indicator_figures",
        ["filters_key", "kind", "period_start"],
        unique=False,
    )
    # Every membership of a person, ended ones too: the two partial indexes cover only
    # the active ones, so reading a whole team (the key-worker indicator) scanned the table.
    with op.batch_alter_table("care_team_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_team_members_person_id"), ["person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("care_team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_team_members_person_id"))
    op.drop_index("ix_indicator_figures_filters_key_kind_start", table_name="indicator_figures")
    op.drop_table("indicator_figures")
