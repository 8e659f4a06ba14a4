"""person name search: a dictionary of name words, each live person's words and pairs

Name search matches typed words against `name_words` (a few thousand distinct words),
then finds people by exact words through ordinary indexes: `person_name_pairs` for two
words, `person_name_words` for one (caremap/people/search.py). The database keeps all
three current itself, in the transaction that writes the person: triggers on both
PostgreSQL and SQLite, so the operations, the synthetic city's COPY and any import
keep them alike. On PostgreSQL the insert trigger is per statement (a transition
table), so a bulk COPY of 5,000 people costs three set-based inserts, not 15,000.

The words are people.search_name split on spaces (search_name is already folded by
normalise_name: lower case, no accents, no punctuation). New dictionary words are
inserted in word order, so two registrations adding the same two new words cannot
deadlock.

Revision ID: c1f4e8a2d0b6
Revises: 591058c7d478
Create Date: 2026-11-30 17:20:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c1f4e8a2d0b6"
down_revision = "591058c7d478"
branch_labels = None
depends_on = None


def _postgresql_inserts(source: str) -> str:
    """The three inserts for the live people in `source` (a relation with id,
    search_name and status)."""
    words = (
        f"FROM {source} n CROSS JOIN LATERAL "
        "unnest(string_to_array(n.search_name, ' ')) AS w(word) "
        "WHERE n.status = 'live' AND w.word <> ''"
    )
    return f"""
    INSERT INTO name_words (word)
        SELECT DISTINCT w.word {words}
        AND NOT EXISTS (SELECT 1 FROM name_words d WHERE d.word = w.word)
        ORDER BY w.word
        ON CONFLICT (word) DO NOTHING;
    INSERT INTO person_name_words (word, person_id)
        SELECT DISTINCT w.word, n.id {words};
    INSERT INTO person_name_pairs (first_word, second_word, person_id)
        SELECT DISTINCT a.word, b.word, n.id FROM {source} n
        CROSS JOIN LATERAL unnest(string_to_array(n.search_name, ' '))
            WITH ORDINALITY AS a(word, i)
        CROSS JOIN LATERAL unnest(string_to_array(n.search_name, ' '))
            WITH ORDINALITY AS b(word, i)
        WHERE n.status = 'live' AND a.i <> b.i AND a.word <= b.word
            AND a.word <> '' AND b.word <> '';
    """


POSTGRESQL_UP = (
    f"""
    CREATE FUNCTION people_search_words_inserted() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_postgresql_inserts("new_people")}
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER people_search_words_insert AFTER INSERT ON people
    REFERENCING NEW TABLE AS new_people
    FOR EACH STATEMENT EXECUTE FUNCTION people_search_words_inserted()
    """,
    f"""
    CREATE FUNCTION people_search_words_updated() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM person_name_words WHERE person_id = OLD.id;
        DELETE FROM person_name_pairs WHERE person_id = OLD.id;
        {
        _postgresql_inserts(
            "(SELECT NEW.id AS id, NEW.search_name AS search_name, NEW.status AS status)"
        )
    }
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER people_search_words_update AFTER UPDATE OF search_name, status ON people
    FOR EACH ROW
    WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name
          OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION people_search_words_updated()
    """,
    _postgresql_inserts("people"),
)


def _sqlite_words(alias: str, row: str) -> str:
    """json_each over the row's search_name split on spaces (SQLite has no split; a
    trigger may not use a recursive CTE). Quotes and backslashes are escaped, though a
    folded name holds only letters, digits and spaces."""
    escaped = f"replace(replace({row}.search_name, '\\', '\\\\'), '\"', '\\\"')"
    return f"""json_each('["' || replace({escaped}, ' ', '","') || '"]') AS {alias}"""


def _sqlite_inserts(row: str, *, source: str = "") -> str:
    live = f"{row}.status = 'live'"
    return f"""
    INSERT OR IGNORE INTO name_words (word)
        SELECT DISTINCT w.value FROM {source}{_sqlite_words("w", row)}
        WHERE {live} AND w.value <> '' ORDER BY w.value;
    INSERT OR IGNORE INTO person_name_words (word, person_id)
        SELECT DISTINCT w.value, {row}.id FROM {source}{_sqlite_words("w", row)}
        WHERE {live} AND w.value <> '';
    INSERT OR IGNORE INTO person_name_pairs (first_word, second_word, person_id)
        SELECT DISTINCT a.value, b.value, {row}.id
        FROM {source}{_sqlite_words("a", row)}, {_sqlite_words("b", row)}
        WHERE {live} AND a.key <> b.key AND a.value <= b.value
            AND a.value <> '' AND b.value <> '';
    """


SQLITE_UP = (
    f"""
    CREATE TRIGGER people_search_words_insert AFTER INSERT ON people BEGIN
        {_sqlite_inserts("new")}
    END
    """,
    f"""
    CREATE TRIGGER people_search_words_update AFTER UPDATE OF search_name, status ON people
    WHEN old.search_name IS NOT new.search_name OR old.status IS NOT new.status BEGIN
        DELETE FROM person_name_words WHERE person_id = old.id;
        DELETE FROM person_name_pairs WHERE person_id = old.id;
        {_sqlite_inserts("new")}
    END
    """,
)


def _backfill_sqlite() -> None:
    for statement in _sqlite_inserts("p", source="people AS p, ").split(";"):
        if statement.strip():
            op.execute(statement)


def upgrade() -> None:
    word = sa.String(length=100)
    op.create_table(
        "name_words",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("word", word, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_name_words")),
        sa.UniqueConstraint("word", name=op.f("uq_name_words_word")),
    )
    op.create_table(
        "person_name_words",
        sa.Column("word", word, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_name_words_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("word", "person_id", name=op.f("pk_person_name_words")),
    )
    op.create_index(
        op.f("ix_person_name_words_person_id"), "person_name_words", ["person_id"], unique=False
    )
    op.create_table(
        "person_name_pairs",
        sa.Column("first_word", word, nullable=False),
        sa.Column("second_word", word, nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_person_name_pairs_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "first_word", "second_word", "person_id", name=op.f("pk_person_name_pairs")
        ),
    )
    op.create_index(
        op.f("ix_person_name_pairs_person_id"), "person_name_pairs", ["person_id"], unique=False
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)
    else:
        for statement in SQLITE_UP:
            op.execute(statement)
        _backfill_sqlite()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS people_search_words_insert ON people")
        op.execute("DROP TRIGGER IF EXISTS people_search_words_update ON people")
        op.execute("DROP FUNCTION IF EXISTS people_search_words_inserted()")
        op.execute("DROP FUNCTION IF EXISTS people_search_words_updated()")
    else:
        op.execute("DROP TRIGGER IF EXISTS people_search_words_insert")
        op.execute("DROP TRIGGER IF EXISTS people_search_words_update")
    op.drop_index(op.f("ix_person_name_pairs_person_id"), table_name="person_name_pairs")
    op.drop_table("person_name_pairs")
    op.drop_index(op.f("ix_person_name_words_person_id"), table_name="person_name_words")
    op.drop_table("person_name_words")
    op.drop_table("name_words")
