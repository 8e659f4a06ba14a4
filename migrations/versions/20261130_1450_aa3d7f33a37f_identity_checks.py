"""identity checks: "not the same person as", with who checked, when and why

Revision ID: aa3d7f33a37f
Revises: d4f8a2c61e07
Create Date: 2026-11-30 14:50:00+00:00
"""

import sqlalchemy as sa
from alembic import op

import caremap.core.db

revision = "aa3d7f33a37f"
down_revision = "d4f8a2c61e07"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("checked_by_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "person_id <> other_person_id", name=op.f("ck_identity_checks_two_records")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_identity_checks_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["other_person_id"],
            ["people.id"],
            name=op.f("fk_identity_checks_other_person_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["checked_by_id"], ["users.id"], name=op.f("fk_identity_checks_checked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_checks")),
    )
    with op.batch_alter_table("identity_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_identity_checks_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_identity_checks_other_person_id"), ["other_person_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("identity_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_identity_checks_other_person_id"))
        batch_op.drop_index(batch_op.f("ix_identity_checks_person_id"))
    op.drop_table("identity_checks")
