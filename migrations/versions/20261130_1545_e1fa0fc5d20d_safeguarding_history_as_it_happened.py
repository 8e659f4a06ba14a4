"""safeguarding: the day a concern was raised, decided and an enquiry concluded, beside
when each was entered; what an enquiry shares with its action owners; an action's task

Revision ID: e1fa0fc5d20d
Revises: 5b7e0c2d9a41
Create Date: 2026-11-30 15:45:00+00:00
"""

import os
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import caremap.core.db
from caremap.config import DEFAULTS

revision = "e1fa0fc5d20d"
down_revision = "5b7e0c2d9a41"
branch_labels = None
depends_on = None

_concerns = sa.table(
    "safeguarding_concerns",
    sa.column("id", sa.Integer),
    sa.column("raised_at", caremap.core.db.UTCDateTime(timezone=True)),
    sa.column("raised_on", sa.Date),
    sa.column("triaged_at", caremap.core.db.UTCDateTime(timezone=True)),
    sa.column("decided_on", sa.Date),
)


def _zone_name() -> str:
    return os.environ.get("CAREMAP_TIMEZONE") or DEFAULTS["TIMEZONE"]


def _fill_days(moment: str, day: str) -> None:
    """Until now every concern was entered the day it was raised and decided, so that day
    is the local calendar day of the moment it was entered (not its day in UTC)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            sa.text(
                f"UPDATE safeguarding_concerns SET {day} = ({moment} AT TIME ZONE :zone)::date "
                f"WHERE {moment} IS NOT NULL"
            ).bindparams(zone=_zone_name())
        )
        return
    zone = ZoneInfo(_zone_name())
    rows = bind.execute(
        sa.select(_concerns.c.id, _concerns.c[moment]).where(_concerns.c[moment].is_not(None))
    ).all()
    if rows:
        bind.execute(
            _concerns.update()
            .where(_concerns.c.id == sa.bindparam("row_id"))
            .values({day: sa.bindparam("day")}),
            [{"row_id": id_, "day": at.astimezone(zone).date()} for id_, at in rows],
        )


def upgrade() -> None:
    # No table rebuild for concerns and enquiries: other tables refer to them, and SQLite
    # refuses to drop a referenced table that has rows while foreign keys are on (as they
    # are inside a migration). So ADD COLUMN only. SQLite cannot make a column NOT NULL
    # after it is added, so there it is added NOT NULL with a placeholder default that the
    # fill below overwrites on every row (the application always gives the day).
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column(
        "safeguarding_concerns",
        sa.Column(
            "raised_on",
            sa.Date(),
            nullable=not sqlite,
            server_default=sa.text("'1970-01-01'") if sqlite else None,
        ),
    )
    op.add_column("safeguarding_concerns", sa.Column("decided_on", sa.Date(), nullable=True))
    _fill_days("raised_at", "raised_on")
    _fill_days("triaged_at", "decided_on")
    if not sqlite:
        op.alter_column("safeguarding_concerns", "raised_on", nullable=False)
    op.create_index("ix_safeguarding_concerns_raised_on", "safeguarding_concerns", ["raised_on"])

    op.add_column(
        "safeguarding_enquiries", sa.Column("shared_summary", sa.String(2000), nullable=True)
    )
    op.add_column(
        "safeguarding_enquiries",
        sa.Column("concluded_at", caremap.core.db.UTCDateTime(timezone=True), nullable=True),
    )
    # A conclusion was entered when its concern closed: that moment is when it was entered.
    op.execute(
        "UPDATE safeguarding_enquiries SET concluded_at = (SELECT c.closed_at FROM "
        "safeguarding_concerns c WHERE c.id = safeguarding_enquiries.concern_id) "
        "WHERE status = 'concluded'"
    )

    # Actions given before now have no task: they stay on the enquiry, as they were. (No
    # table refers to actions, so SQLite may rebuild this one for the new constraints.)
    with op.batch_alter_table("safeguarding_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_safeguarding_actions_task_id_tasks"), "tasks", ["task_id"], ["id"]
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_safeguarding_actions_task_id"), ["task_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("safeguarding_actions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_safeguarding_actions_task_id"), type_="unique")
        batch_op.drop_constraint(
            batch_op.f("fk_safeguarding_actions_task_id_tasks"), type_="foreignkey"
        )
        batch_op.drop_column("task_id")
    # DROP COLUMN in place (SQLite 3.35 and later), again without rebuilding a table that
    # other tables refer to.
    op.drop_column("safeguarding_enquiries", "concluded_at")
    op.drop_column("safeguarding_enquiries", "shared_summary")
    op.drop_index("ix_safeguarding_concerns_raised_on", table_name="safeguarding_concerns")
    op.drop_column("safeguarding_concerns", "decided_on")
    op.drop_column("safeguarding_concerns", "raised_on")
