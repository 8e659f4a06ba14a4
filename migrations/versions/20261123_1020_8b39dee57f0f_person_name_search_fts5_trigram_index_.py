"""person name search: FTS5 trigram index on SQLite

On SQLite, an FTS5 table with the trigram tokenizer over people.search_name (external
content: it stores only the index), kept in step by triggers. PostgreSQL already has
the pg_trgm GIN index (ix_people_search_name_trgm); nothing changes there.

The FTS table is not in the models' metadata: migrations/env.py and the migration
test leave it out of the comparison (caremap.core.trigrams.include_object).

Revision ID: 8b39dee57f0f
Revises: e545e1597f72
Create Date: 2026-11-23 10:20:47.000000+00:00
"""

from alembic import op

revision = "8b39dee57f0f"
down_revision = "e545e1597f72"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE people_search_fts USING fts5("
    "search_name, content='people', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER people_search_fts_insert AFTER INSERT ON people BEGIN "
    "INSERT INTO people_search_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "CREATE TRIGGER people_search_fts_delete AFTER DELETE ON people BEGIN "
    "INSERT INTO people_search_fts(people_search_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); END",
    "CREATE TRIGGER people_search_fts_update AFTER UPDATE OF search_name ON people BEGIN "
    "INSERT INTO people_search_fts(people_search_fts, rowid, search_name) "
    "VALUES ('delete', old.id, old.search_name); "
    "INSERT INTO people_search_fts(rowid, search_name) VALUES (new.id, new.search_name); END",
    "INSERT INTO people_search_fts(people_search_fts) VALUES ('rebuild')",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS people_search_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS people_search_fts")
