"""person name search: trigram GIN with the name's trigram count

PostgreSQL: the trigram GIN index on people.search_name becomes a two-column GIN
(btree_gin) on the name's trigrams and the number of its trigrams, so that "similar
to the query, and at most N trigrams long" is one index scan (see
caremap.people.queries._search_name_postgresql). The old one-column index goes: the
new one serves `%`, `<%` and LIKE '%word%' the same way, and two would let the planner
pick the one without the count.

SQLite: the plain index the first migration made on search_name goes (the FTS5 table
serves name search there).

Revision ID: 32fac4e91fa0
Revises: 8b39dee57f0f
Create Date: 2026-11-23 10:34:05.000000+00:00
"""

from alembic import op

revision = "32fac4e91fa0"
down_revision = "8b39dee57f0f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
        op.execute(
            "CREATE INDEX ix_people_search_name_trgm_count ON people USING gin "
            "(search_name gin_trgm_ops, (array_length(show_trgm(search_name), 1)))"
        )
    op.drop_index("ix_people_search_name_trgm", table_name="people")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_people_search_name_trgm",
            "people",
            ["search_name"],
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        )
        op.drop_index("ix_people_search_name_trgm_count", table_name="people")
    else:
        op.create_index("ix_people_search_name_trgm", "people", ["search_name"])
