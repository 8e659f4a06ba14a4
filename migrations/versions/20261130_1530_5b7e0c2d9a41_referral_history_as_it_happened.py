"""referrals: when an answer and a first contact happened, beside when they were entered;
idempotency keys kept per caller, with the request's fingerprint

Revision ID: 5b7e0c2d9a41
Revises: e354f346e3e4
Create Date: 2026-11-30 15:30:00+00:00
"""

import hashlib

import sqlalchemy as sa
from alembic import op

import caremap.core.db

revision = "5b7e0c2d9a41"
down_revision = "e354f346e3e4"
branch_labels = None
depends_on = None


def _moment(name: str) -> sa.Column:
    return sa.Column(name, caremap.core.db.UTCDateTime(timezone=True), nullable=True)


def upgrade() -> None:
    # ADD COLUMN throughout: no table rebuild on SQLite (a rebuild of referral_submissions
    # would drop a table that referrals point at, which SQLite refuses once it has rows).
    op.add_column("referrals", _moment("response_recorded_at"))
    op.add_column("referrals", _moment("first_contact_at"))
    op.add_column("referrals", _moment("first_contact_recorded_at"))
    op.add_column("referral_status_changes", _moment("recorded_at"))
    # Until now every answer and status change was entered as it happened, so the time it
    # was entered is the time it happened. First contact was never recorded: it stays empty.
    op.execute(
        "UPDATE referrals SET response_recorded_at = responded_at WHERE responded_at IS NOT NULL"
    )
    op.execute("UPDATE referral_status_changes SET recorded_at = at")
    op.add_column(
        "referral_submissions", sa.Column("request_fingerprint", sa.String(64), nullable=True)
    )
    # Keys become per caller: each kept key is replaced by sha256 of (caller, key), as
    # caremap.referrals.retries.scoped_key makes it (written out here: a migration must not
    # change when the code does). Their bodies were not kept, so a retry of one of these
    # is compared by person only.
    submissions = sa.table(
        "referral_submissions",
        sa.column("id", sa.Integer),
        sa.column("submitted_by_id", sa.Integer),
        sa.column("idempotency_key", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            submissions.c.id, submissions.c.submitted_by_id, submissions.c.idempotency_key
        ).where(submissions.c.idempotency_key.is_not(None))
    ).all()
    for row_id, caller, key in rows:
        digest = hashlib.sha256(f"{caller}:{key}".encode()).hexdigest()
        bind.execute(
            sa.update(submissions).where(submissions.c.id == row_id).values(idempotency_key=digest)
        )


def downgrade() -> None:
    # DROP COLUMN, not a batch copy, for the same reason as above. The keys stay digests:
    # the keys as sent were not kept, and a digest never matches a retry again, which is
    # the safe way to fail.
    op.drop_column("referral_submissions", "request_fingerprint")
    op.drop_column("referral_status_changes", "recorded_at")
    op.drop_column("referrals", "first_contact_recorded_at")
    op.drop_column("referrals", "first_contact_at")
    op.drop_column("referrals", "response_recorded_at")
