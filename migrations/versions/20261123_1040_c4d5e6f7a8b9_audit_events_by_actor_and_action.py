"""audit events by actor and action: an index for a worker's recently viewed records

"Recently viewed" on the home page read every audit row the worker had written (by the
actor_id index) to find their `people.view` rows; each caseload view writes 200 rows, so
it slowed week by week (16 ms after a few thousand). With (actor_id, action, id) it reads
only the newest `people.view` rows, backwards.

Revision ID: c4d5e6f7a8b9
Revises: 32fac4e91fa0
Create Date: 2026-11-23 10:40:00.000000+00:00
"""

from alembic import op

revision = "c4d5e6f7a8b9"
down_revision = "32fac4e91fa0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_events_actor_id_action_id", ["actor_id", "action", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_actor_id_action_id")
