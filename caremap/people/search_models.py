"""The tables name search reads: the dictionary of name words, and each live person's
words and word pairs, so a person is found by exact words through ordinary indexes.

All three are kept by the database itself (triggers made by the migration
c1f4e8a2d0b6, on PostgreSQL and SQLite), so every way a person is written (the
operations, a bulk COPY of the synthetic city, an import) keeps them current in the
same transaction. Only live records have rows: a merged record drops out of search.

- `name_words`: every distinct word of any name ever written (given, preferred and
  family names, folded as search compares them: `normalise_name`). A few thousand
  entries for a city; typed words are matched against it, not against the people.
  Insert-only: a word nobody has any more costs a row and finds nobody.
- `person_name_words`: (word, person) for each word of a live person's names, with the
  person's sort key (family then given name), so the people holding a word come from
  one index in the order a search lists them, without reading `people`.
- `person_name_pairs`: each unordered pair of two words of a live person's names
  (first <= second), so a two-word search ("margaret thompson") is a handful of
  index probes on (first, second) whatever the size of the city.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from caremap.core.db import Base

# A word of one name field; the fields are at most 100 characters.
WORD = sa.String(100)


class NameWord(Base):
    __tablename__ = "name_words"

    # Ascending as words are added: a worker's cached copy fetches only what is newer.
    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(WORD, unique=True)


class PersonNameWord(Base):
    __tablename__ = "person_name_words"
    # A word's people in the order a one-word search lists them, read without sorting.
    __table_args__ = (
        sa.Index("ix_person_name_words_word_sort_key", "word", "sort_key", "person_id"),
    )

    word: Mapped[str] = mapped_column(WORD, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The person's family name, a space, their given name, in lower case (SQL's lower()).
    sort_key: Mapped[str] = mapped_column(sa.String(201), server_default="")


class PersonNamePair(Base):
    __tablename__ = "person_name_pairs"

    first_word: Mapped[str] = mapped_column(WORD, primary_key=True)
    second_word: Mapped[str] = mapped_column(WORD, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


# Rows the database keeps from people.search_name and status: never written by the app.
SEARCH_TABLES = frozenset({"person_name_words", "person_name_pairs"})
