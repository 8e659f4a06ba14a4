"""person name search: one-column trigram GIN again

32fac4e91fa0 added the number of the name's trigrams to the GIN index so that "similar,
and at most N trigrams long" was one index scan. Measured at 450,000 people it gave the
same pages and no gain (typo searches p95 37-59 ms with it, 40-44 ms without): the
scans it saved were replaced by range scans over the count and `<%` scans over common
trigrams. Back to the plain trigram GIN (PostgreSQL only; SQLite searches FTS5).

Revision ID: 92352d4569d2
Revises: c4d5e6f7a8b9
Create Date: 2026-11-23 10:38:50.000000+00:00
"""

from alembic import op

revision = "92352d4569d2"
down_revision = "c4d5e6f7a8b9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_people_search_name_trgm",
        "people",
        ["search_name"],
        postgresql_using="gin",
        postgresql_ops={"search_name": "gin_trgm_ops"},
    )
    op.drop_index("ix_people_search_name_trgm_count", table_name="people")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_people_search_name_trgm_count ON people USING gin "
        "(search_name gin_trgm_ops, (array_length(show_trgm(search_name), 1)))"
    )
    op.drop_index("ix_people_search_name_trgm", table_name="people")
