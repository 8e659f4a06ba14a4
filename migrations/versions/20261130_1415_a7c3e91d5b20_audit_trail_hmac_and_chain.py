"""audit trail: an HMAC on each row and the chain of seals

Revision ID: a7c3e91d5b20
Revises: e39315a9dcc7
Create Date: 2026-11-30 14:15:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a7c3e91d5b20"
down_revision = "e39315a9dcc7"
branch_labels = None
depends_on = None

# The chain is append-only like the trail it seals (the first revision's triggers).
_PG_TRIGGERS = """
CREATE FUNCTION audit_seals_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_seals is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_seals_append_only BEFORE UPDATE OR DELETE ON audit_seals
FOR EACH ROW EXECUTE FUNCTION audit_seals_refuse_change();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
FOR EACH STATEMENT EXECUTE FUNCTION audit_seals_refuse_change();
"""
_SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
    BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
    BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: DELETE refused'); END""",
)


def upgrade() -> None:
    # ADD COLUMN, not a batch copy: copying audit_events would drop its triggers on SQLite.
    op.add_column("audit_events", sa.Column("mac", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_seals",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("prev_event_id", sa.Integer(), nullable=True),
        sa.Column("chain_mac", sa.String(length=64), nullable=False),
        sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_seals")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_TRIGGERS)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    op.drop_table("audit_seals")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_seals_refuse_change()")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("mac")
