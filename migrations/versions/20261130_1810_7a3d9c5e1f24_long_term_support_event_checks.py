"""long-term support: every event ends on or after it starts, with an outcome only once ended

Revision ID: 7a3d9c5e1f24
Revises: b8e2c4a1f6d7
Create Date: 2026-11-30 18:10:00+00:00
"""

from alembic import op

revision = "7a3d9c5e1f24"
down_revision = "b8e2c4a1f6d7"
branch_labels = None
depends_on = None

TABLES = ("care_assessments", "care_packages", "care_reviews")
CHECKS = {
    "ends_after_start": "ended_on IS NULL OR ended_on >= started_on",
    "outcome_when_ended": "outcome IS NULL OR ended_on IS NOT NULL",
}


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for name, rule in CHECKS.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), rule)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            for name in CHECKS:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
