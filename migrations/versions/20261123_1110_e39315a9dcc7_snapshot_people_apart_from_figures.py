"""snapshot people apart from figures

Revision ID: e39315a9dcc7
Revises: b653149161ff
Create Date: 2026-11-23 11:10:59.731665+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e39315a9dcc7"
down_revision = "b653149161ff"
branch_labels = None
depends_on = None


_snapshots = sa.table(
    "indicator_snapshots",
    sa.column("id", sa.Integer),
    sa.column("results", sa.JSON),
    sa.column("people", sa.JSON),
)
_PARTS = ("numerator", "denominator")


def upgrade() -> None:
    # Snapshots kept the people behind each figure inside `results`, so reading a
    # dashboard's figures parsed megabytes of ids: move them to a column of their own.
    with op.batch_alter_table("indicator_snapshots", schema=None) as batch_op:
        batch_op.add_column(sa.Column("people", sa.JSON(), nullable=True))
    bind = op.get_bind()
    for id_, results in bind.execute(sa.select(_snapshots.c.id, _snapshots.c.results)).all():
        people = {
            code: {part: figures.pop(f"{part}_ids", []) for part in _PARTS}
            for code, figures in results.items()
        }
        bind.execute(
            _snapshots.update().where(_snapshots.c.id == id_).values(results=results, people=people)
        )
    with op.batch_alter_table("indicator_snapshots", schema=None) as batch_op:
        batch_op.alter_column("people", existing_type=sa.JSON(), nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_snapshots.c.id, _snapshots.c.results, _snapshots.c.people)).all()
    for id_, results, people in rows:
        for code, figures in results.items():
            for part in _PARTS:
                figures[f"{part}_ids"] = people.get(code, {}).get(part, [])
        bind.execute(_snapshots.update().where(_snapshots.c.id == id_).values(results=results))
    with op.batch_alter_table("indicator_snapshots", schema=None) as batch_op:
        batch_op.drop_column("people")
