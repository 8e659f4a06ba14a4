"""Trigram similarity with the semantics of PostgreSQL's pg_trgm.

PostgreSQL computes `similarity()` in the extension; SQLite gets this function
registered on every connection so that a search ranks the same on both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import OSA

_WORD = re.compile(r"[0-9a-z]+")


def normalise_name(text: str | None) -> str:
    """Lower case, accents removed, punctuation to spaces: what name search compares."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(ascii_only.lower()))


@lru_cache(maxsize=65536)
def trigrams(text: str) -> frozenset[str]:
    grams: set[str] = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str | None, b: str | None) -> float:
    left, right = trigrams(a or ""), trigrams(b or "")
    if not left or not right:
        return 0.0
    shared = len(left & right)
    return shared / (len(left) + len(right) - shared)


# Two name parts are close at this trigram similarity (or one slip of the keyboard).
NAME_PART_SIMILARITY = 0.3


def close_names(a: str, b: str) -> bool:
    """Trigram similarity >= 0.3, or one slip of the keyboard (two in a long name).

    Trigrams alone miss a slip in a short name: "jack" / "jak" is 0.29.
    """
    if typing_distance(a, b, limit=slips_allowed(a, b)):
        return True
    return similarity(a, b) >= NAME_PART_SIMILARITY


# Name parts this long or longer may differ by two slips of the keyboard, others by one.
LONG_NAME = 8


def slips_allowed(a: str, b: str) -> int:
    """Slips of the keyboard two name parts may differ by and still be close."""
    return 2 if min(len(a), len(b)) >= LONG_NAME else 1


def typing_distance(a: str, b: str, *, limit: int) -> bool:
    """Whether a and b are at most `limit` edits apart (a letter dropped, added, changed,
    or two neighbours swapped: the optimal string alignment distance, rapidfuzz's OSA)."""
    if abs(len(a) - len(b)) > limit:
        return False
    return OSA.distance(a, b, score_cutoff=limit) <= limit


# SQLite's FTS5 trigram index over people.search_name (and FTS5's shadow tables) was
# made by a migration, not the models, and dropped by a4d2b7e9c3f1 with the PostgreSQL
# GIN index below (name search reads the word tables): schema comparisons of a
# database at an older revision still leave them out.
SEARCH_INDEX_PREFIX = "people_search_fts"


# Was declared in the models for PostgreSQL only (`ddl_if`), which Alembic's
# comparison does not know about.
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_people_search_name_trgm"})


def include_object_for(dialect: str):
    """Alembic's include_object hook for a database of this dialect: on SQLite, leave
    out the FTS5 search index (made by a migration, not the models) and the
    PostgreSQL-only indexes."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        if dialect != "sqlite":
            return True
        if type_ == "table" and name and name.startswith(SEARCH_INDEX_PREFIX):
            return False
        return not (type_ == "index" and name in POSTGRESQL_ONLY_INDEXES)

    return include_object
