"""person name search: each word's people in listing order; the unused trigram indexes go

`person_name_words` gains the person's sort key (lower(family name) || ' ' ||
lower(given name)) and an index on (word, sort_key, person_id): a one-word search lists
a word's people straight from that index, a page at a time, without reading or scoring
the wide `people` rows of every match (caremap/people/search.py). The triggers made by
c1f4e8a2d0b6 are rewritten to fill it.

Name search no longer reads people.search_name through a trigram index (it matches
typed words against the dictionary `name_words`), and nothing else does (the duplicate
check reads by date of birth, postcode and NHS number): the pg_trgm GIN index on
people.search_name and SQLite's FTS5 table with its three triggers only cost every
write of a person. They are dropped; pg_trgm stays (similarity() ranks a page).

Revision ID: a4d2b7e9c3f1
Revises: e3a9c6b14d27
Create Date: 2026-11-30 21:45:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a4d2b7e9c3f1"
down_revision = "e3a9c6b14d27"
branch_labels = None
depends_on = None


def _sort_key(row: str) -> str:
    return f"lower({row}.family_name) || ' ' || lower({row}.given_name)"


def _postgresql_inserts(source: str, *, sorted_words: bool) -> str:
    """The three inserts for the live people in `source` (id, search_name, status and,
    with sorted_words, family_name and given_name)."""
    words = (
        f"FROM {source} n CROSS JOIN LATERAL "
        "unnest(string_to_array(n.search_name, ' ')) AS w(word) "
        "WHERE n.status = 'live' AND w.word <> ''"
    )
    person_words = (
        f"INSERT INTO person_name_words (word, person_id, sort_key) "
        f"SELECT DISTINCT w.word, n.id, {_sort_key('n')} {words};"
        if sorted_words
        else "INSERT INTO person_name_words (word, person_id) "
        f"SELECT DISTINCT w.word, n.id {words};"
    )
    return f"""
    INSERT INTO name_words (word)
        SELECT DISTINCT w.word {words}
        AND NOT EXISTS (SELECT 1 FROM name_words d WHERE d.word = w.word)
        ORDER BY w.word
        ON CONFLICT (word) DO NOTHING;
    {person_words}
    INSERT INTO person_name_pairs (first_word, second_word, person_id)
        SELECT DISTINCT a.word, b.word, n.id FROM {source} n
        CROSS JOIN LATERAL unnest(string_to_array(n.search_name, ' '))
            WITH ORDINALITY AS a(word, i)
        CROSS JOIN LATERAL unnest(string_to_array(n.search_name, ' '))
            WITH ORDINALITY AS b(word, i)
        WHERE n.status = 'live' AND a.i <> b.i AND a.word <= b.word
            AND a.word <> '' AND b.word <> '';
    """


def _postgresql_functions(*, sorted_words: bool) -> tuple[str, str]:
    new_row = (
        "(SELECT NEW.id AS id, NEW.search_name AS search_name, NEW.status AS status,"
        " NEW.family_name AS family_name, NEW.given_name AS given_name)"
    )
    inserted = f"""
    CREATE OR REPLACE FUNCTION people_search_words_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_postgresql_inserts("new_people", sorted_words=sorted_words)}
        RETURN NULL;
    END $$
    """
    updated = f"""
    CREATE OR REPLACE FUNCTION people_search_words_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM person_name_words WHERE person_id = OLD.id;
        DELETE FROM person_name_pairs WHERE person_id = OLD.id;
        {_postgresql_inserts(new_row, sorted_words=sorted_words)}
        RETURN NULL;
    END $$
    """
    return inserted, updated


def _sqlite_words(alias: str, row: str) -> str:
    escaped = f"replace(replace({row}.search_name, '\\', '\\\\'), '\"', '\\\"')"
    return f"""json_each('["' || replace({escaped}, ' ', '","') || '"]') AS {alias}"""


def _sqlite_inserts(row: str, *, sorted_words: bool) -> str:
    live = f"{row}.status = 'live'"
    if sorted_words:
        person_words = f"""INSERT OR IGNORE INTO person_name_words (word, person_id, sort_key)
        SELECT DISTINCT w.value, {row}.id, {_sort_key(row)} FROM {_sqlite_words("w", row)}
        WHERE {live} AND w.value <> '';"""
    else:
        person_words = f"""INSERT OR IGNORE INTO person_name_words (word, person_id)
        SELECT DISTINCT w.value, {row}.id FROM {_sqlite_words("w", row)}
        WHERE {live} AND w.value <> '';"""
    return f"""
    INSERT OR IGNORE INTO name_words (word)
        SELECT DISTINCT w.value FROM {_sqlite_words("w", row)}
        WHERE {live} AND w.value <> '' ORDER BY w.value;
    {person_words}
    INSERT OR IGNORE INTO person_name_pairs (first_word, second_word, person_id)
        SELECT DISTINCT a.value, b.value, {row}.id
        FROM {_sqlite_words("a", row)}, {_sqlite_words("b", row)}
        WHERE {live} AND a.key <> b.key AND a.value <= b.value
            AND a.value <> '' AND b.value <> '';
    """


def _sqlite_triggers(*, sorted_words: bool) -> tuple[str, ...]:
    return (
        "DROP TRIGGER IF EXISTS people_search_words_insert",
        "DROP TRIGGER IF EXISTS people_search_words_update",
        f"""
        CREATE TRIGGER people_search_words_insert AFTER INSERT ON people BEGIN
            {_sqlite_inserts("new", sorted_words=sorted_words)}
        END
        """,
        f"""
        CREATE TRIGGER people_search_words_update AFTER UPDATE OF search_name, status
        ON people
        WHEN old.search_name IS NOT new.search_name OR old.status IS NOT new.status BEGIN
            DELETE FROM person_name_words WHERE person_id = old.id;
            DELETE FROM person_name_pairs WHERE person_id = old.id;
            {_sqlite_inserts("new", sorted_words=sorted_words)}
        END
        """,
    )


# As 8b39dee57f0f made them.
SQLITE_FTS = (
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
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column(
        "person_name_words",
        sa.Column("sort_key", sa.String(length=201), server_default="", nullable=False),
    )
    op.execute(
        "UPDATE person_name_words SET sort_key = (SELECT "
        + _sort_key("p")
        + " FROM people p WHERE p.id = person_name_words.person_id)"
    )
    op.create_index(
        "ix_person_name_words_word_sort_key",
        "person_name_words",
        ["word", "sort_key", "person_id"],
        unique=False,
    )
    if postgresql:
        for statement in _postgresql_functions(sorted_words=True):
            op.execute(statement)
        op.drop_index("ix_people_search_name_trgm", table_name="people")
    else:
        for statement in _sqlite_triggers(sorted_words=True):
            op.execute(statement)
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS people_search_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS people_search_fts")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(
            "CREATE INDEX ix_people_search_name_trgm ON people USING gin (search_name gin_trgm_ops)"
        )
        for statement in _postgresql_functions(sorted_words=False):
            op.execute(statement)
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)
        for statement in _sqlite_triggers(sorted_words=False):
            op.execute(statement)
    op.drop_index("ix_person_name_words_word_sort_key", table_name="person_name_words")
    op.drop_column("person_name_words", "sort_key")
