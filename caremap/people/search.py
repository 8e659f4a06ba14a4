"""Finding people: by name (typos and parts allowed), NHS number, date of birth, postcode.

A name is searched word by word. Each typed word is matched against the dictionary of
name words (`name_words`: a few thousand distinct words, kept by the database), and
people are then found by those exact words through ordinary indexes: the pairs of
words of their names for two typed words ("margaret thompson": a handful of probes on
(first, second), whatever the size of the city), the words for one. So the cost follows
the people found, not the people on record (caremap/people/search_models.py).

The rule, for the typed words (names folded by normalise_name):
- a typed word of three letters or more *holds* a dictionary word that contains it
  ("homp" holds "thompson"); a shorter one holds the words it begins ("ma": "mary");
- it is *close* to a word it holds or that is a close spelling (`close_names`: trigram
  similarity >= 0.3, or one slip of the keyboard, two in a long name);
- a live person matches when every typed word holds a word of their names (given,
  preferred or family); when fewer than a page of people match so, a person matches
  when every typed word holds or is close to a word of their names.
The typed words are matched against each worker's copy of the dictionary
(people/name_dictionary.py): one small statement a search keeps it current. The close
spellings are looked for only when the words as typed find less than a page.

Best match first. Two typed words or more: trigram similarity of the whole name to what
was typed, then family name, given name, id (the pairs find few people). One typed word
("thomp", which may hold thousands): the person's most similar matching word, then
family name and given name in lower case, then id, which is the order of an index on
the word table, so a page takes a page's worth of rows from each matching word and reads
only its own 25 people from `people`. The total counts every match, so a page says "405
people". The statements are built once per shape and run with bound parameters:
building them cost more CPU than running them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from caremap import audit
from caremap.auth.models import User
from caremap.core.direct import DirectStatement
from caremap.core.extensions import db
from caremap.core.in_list import in_list
from caremap.core.trigrams import normalise_name, similarity
from caremap.people.enums import RecordStatus, Sex
from caremap.people.identifiers import is_valid_postcode
from caremap.people.models import Person
from caremap.people.name_dictionary import SHORT_WORD, name_dictionary
from caremap.people.search_models import PersonNamePair, PersonNameWord

# The fuzzy rule's similarity of a whole name, when other criteria narrow the rows.
NAME_SIMILARITY = 0.3


@dataclass(frozen=True, slots=True)
class PersonIdentity:
    """A person as a search finds them: who they are (what results show to anyone),
    not their record. Read as plain columns, never as a `Person` the session tracks."""

    id: int
    local_ref: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    sex: Sex
    nhs_number: str | None
    postcode: str | None
    search_name: str


# PersonIdentity's columns, in its order; a page's statements add the total after them.
_IDENTITY = tuple(getattr(Person, name) for name in PersonIdentity.__dataclass_fields__)
_IDENTITY_WIDTH = len(_IDENTITY)


def _identities(rows) -> list[PersonIdentity]:
    return [PersonIdentity(*row[:_IDENTITY_WIDTH]) for row in rows]


@dataclass(frozen=True)
class SearchPage:
    """One page of a search: its people, best first, and how many match in all."""

    people: list[PersonIdentity]
    total: int
    offset: int
    limit: int

    @property
    def first(self) -> int:
        """The position of the first row shown, counting from 1 (0 when none)."""
        return self.offset + 1 if self.people else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.people)

    @property
    def has_next(self) -> bool:
        return self.last < self.total


def search_page(
    *,
    q: str | None = None,
    nhs_number: str | None = None,
    date_of_birth: dt.date | None = None,
    postcode: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> SearchPage:
    """Live records matching every criterion given: one page, and the true total."""
    criteria = _criteria_values(nhs_number, date_of_birth, postcode)
    name = normalise_name(q)
    if not name:
        return _by_criteria(criteria, limit, offset)
    filters = [Person.status == RecordStatus.LIVE, *(_CRITERIA[key] for key in criteria)]
    if criteria.keys() - {"outward_code"}:  # a handful of rows already
        return _narrowed_by_name(name, filters, criteria, limit, offset)
    return _by_name(name, filters, criteria, limit, offset)


def search_people(*, limit: int = 25, **criteria: Any) -> list[PersonIdentity]:
    """The first page's people (see search_page)."""
    return search_page(**criteria, limit=limit).people


def search_page_and_record(
    *, actor: User, criteria: dict[str, Any], limit: int, offset: int = 0
) -> SearchPage:
    """Search, keeping who searched for whom: results show identities, so a search is a
    read of each person shown. The row names the criteria used, never their values.

    The search reads from the replica when one is configured (core/replica.py): it
    never needs this request's own write. Its people are plain rows, so nothing of the
    replica's session outlives it; the audit row is written on the primary, after."""
    with db.reads_from_replica():
        page = search_page(**criteria, limit=limit, offset=offset)
    audit.record_read(
        actor,
        "people.search",
        person_id=None,
        changes={
            "criteria": sorted(k for k, v in criteria.items() if v),
            "results": [p.id for p in page.people],
        },
    )
    return page


def search_and_record(*, actor: User, criteria: dict[str, Any], limit: int) -> list[PersonIdentity]:
    return search_page_and_record(actor=actor, criteria=criteria, limit=limit).people


_CRITERIA = {
    "nhs_number": Person.nhs_number == sa.bindparam("nhs_number", type_=Person.nhs_number.type),
    "date_of_birth": Person.date_of_birth
    == sa.bindparam("date_of_birth", type_=Person.date_of_birth.type),
    "postcode": Person.postcode == sa.bindparam("postcode", type_=Person.postcode.type),
    "outward_code": Person.postcode.like(sa.bindparam("outward_code", type_=sa.String)),
}


def _criteria_values(
    nhs_number: str | None, date_of_birth: dt.date | None, postcode: str | None
) -> dict[str, Any]:
    """The values to bind for the _CRITERIA given, in _CRITERIA's order."""
    values: dict[str, Any] = {}
    if nhs_number:
        values["nhs_number"] = nhs_number
    if date_of_birth:
        values["date_of_birth"] = date_of_birth
    if postcode and is_valid_postcode(postcode):
        values["postcode"] = postcode
    elif postcode:  # an outward code alone, like "PL4"
        values["outward_code"] = f"{postcode.replace(' ', '')} %"
    return values


def _by_criteria(criteria: dict[str, Any], limit: int, offset: int) -> SearchPage:
    """Live records by NHS number, date of birth and postcode (full, or an outward code
    alone such as "PL4"), family name first."""
    params = {**criteria, "limit": limit, "offset": offset}
    page, counted = _criteria_statements(tuple(criteria))
    rows = page.all(db.session, params)
    if rows:
        return SearchPage(_identities(rows), rows[0].total, offset, limit)
    total = db.session.scalar(counted, params) if offset else 0
    return SearchPage([], total or 0, offset, limit)


@lru_cache(maxsize=16)
def _criteria_statements(names: tuple[str, ...]) -> tuple[DirectStatement, sa.Select]:
    """The page and the count for one combination of criteria, built once."""
    where = (Person.status == RecordStatus.LIVE, *(_CRITERIA[name] for name in names))
    page = (
        sa.select(*_IDENTITY, sa.func.count().over().label("total"))
        .where(*where)
        .order_by(Person.family_name, Person.given_name, Person.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )
    return DirectStatement(page), sa.select(sa.func.count()).where(*where)


def _page(stmt: sa.Select, limit: int, offset: int, params: dict | None = None) -> SearchPage:
    """The page and the total in one statement (a window count over every match); a
    second, counting, only when the page is past the end."""
    rows = db.session.execute(
        stmt.add_columns(sa.func.count().over().label("total")).limit(limit).offset(offset),
        params,
    ).all()
    if rows:
        return SearchPage(_identities(rows), rows[0].total, offset, limit)
    if offset == 0:
        return SearchPage([], 0, offset, limit)
    counted = stmt.with_only_columns(Person.id).order_by(None).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted), params)
    return SearchPage([], total or 0, offset, limit)


def _by_name(
    name: str, filters: list, criteria: dict[str, Any], limit: int, offset: int
) -> SearchPage:
    typed = name.split()
    # Each typed word's dictionary words, from this worker's copy (name_dictionary.py).
    dictionary = name_dictionary(db.session)
    holds = [dictionary.held_by(word) for word in typed]
    # One word and nothing else to narrow by: ranked from the word table alone.
    one_word = len(typed) == 1 and len(filters) == 1

    def page_of(word_sets: list[set[str]]) -> SearchPage:
        if not all(word_sets):
            return SearchPage([], 0, offset, limit)
        if one_word:
            return _one_word_page(typed[0], word_sets[0], limit, offset)
        ordered = sorted(word_sets, key=len)  # the fewest words first
        both = ordered[0] & ordered[1]
        params: dict[str, Any] = {f"set_{i}": sorted(w) for i, w in enumerate(ordered)}
        params.update(pair_probes(ordered[0], ordered[1]), both=sorted(both))
        ids = _people_with(len(ordered), bool(both))
        if len(filters) == 1:  # live people: the statement built once for this shape
            params.update(name=name, limit=limit, offset=offset)
            rows = _name_page(len(ordered), bool(both)).all(db.session, params)
            if rows or not offset:
                total = rows[0].total if rows else 0
                return SearchPage(_identities(rows), total, offset, limit)
        score = sa.func.similarity(Person.search_name, name)
        order = (score.desc(), Person.family_name, Person.given_name, Person.id)
        stmt = sa.select(*_IDENTITY).where(Person.id.in_(ids), *filters).order_by(*order)
        return _page(stmt, limit, offset, {**params, **criteria})

    page = page_of(holds)
    if page.total >= limit:  # enough people hold what was typed: no close spellings
        return page
    close = [held | dictionary.close_to(word) for word, held in zip(typed, holds, strict=True)]
    return page if close == holds else page_of(close)


def holds_word(typed: str, word: str) -> bool:
    return word.startswith(typed) if len(typed) < SHORT_WORD else typed in word


def _one_word_page(typed: str, words: set[str], limit: int, offset: int) -> SearchPage:
    """Live people holding one of `words`, best first without scoring them: each word's
    people come in index order (sort key, id) from `person_name_words`, at most a
    page's worth from each, merged; a person's rank is their best word's. Only the
    page's people are read from `people`; the total counts the word table's rows."""
    ranks = sorted(word_ranks(typed, words).items())
    page, counted = _one_word_statements(len(ranks))
    params: dict[str, Any] = {"words": sorted(words), "limit": limit, "offset": offset}
    params["wanted"] = offset + limit
    for i, (word, rank) in enumerate(ranks):
        params[f"word_{i}"], params[f"rank_{i}"] = word, rank
    rows = page.all(db.session, params)
    if rows:
        return SearchPage(_identities(rows), rows[0].total, offset, limit)
    total = db.session.scalar(counted, params) if offset else 0
    return SearchPage([], total or 0, offset, limit)


@lru_cache(maxsize=256)
def _one_word_statements(n: int) -> tuple[DirectStatement, sa.Select]:
    """The page and the count for `n` dictionary words, built once per n: building a
    union of subqueries costs more CPU than the database spends running it."""
    table = PersonNameWord
    each_word = [
        sa.select(
            sa.bindparam(f"rank_{i}", type_=sa.Integer).label("rank"),
            table.sort_key,
            table.person_id,
        )
        .where(table.word == sa.bindparam(f"word_{i}", type_=table.word.type))
        .order_by(table.sort_key, table.person_id)
        .limit(sa.bindparam("wanted", type_=sa.Integer))
        .subquery()
        for i in range(n)
    ]
    merged = (
        each_word[0]
        if n == 1
        else sa.union_all(*(sa.select(part) for part in each_word)).subquery()
    )
    best = sa.func.min(merged.c.rank)
    ranked = (
        sa.select(merged.c.person_id, best.label("rank"), merged.c.sort_key)
        .group_by(merged.c.person_id, merged.c.sort_key)
        .order_by(best, merged.c.sort_key, merged.c.person_id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
        .subquery()
    )
    people = sa.func.count() if n == 1 else sa.func.count(sa.distinct(table.person_id))
    counted = sa.select(people).where(in_list(table.word, "words"))
    page = (
        sa.select(*_IDENTITY, counted.scalar_subquery().label("total"))
        .join(ranked, ranked.c.person_id == Person.id)
        .where(Person.status == RecordStatus.LIVE)
        .order_by(ranked.c.rank, ranked.c.sort_key, ranked.c.person_id)
    )
    return DirectStatement(page), counted


def word_ranks(typed: str, words: set[str]) -> dict[str, int]:
    """Each word's rank for one typed word: 0 for the most similar (the word itself,
    when it is a name), then by falling trigram similarity; equal similarity, equal
    rank."""
    scores = {word: round(similarity(word, typed), 6) for word in words}
    order = {score: rank for rank, score in enumerate(sorted(set(scores.values()), reverse=True))}
    return {word: order[score] for word, score in scores.items()}


@lru_cache(maxsize=64)
def _people_with(sets: int, both: bool) -> sa.Select:
    """Live people with, for every set of words (`set_0`, `set_1`, ... bound when run,
    the fewest words first), a word of their names in it. Built once per shape.

    The pairs of words of a name (first <= second) for the first two sets, probed in
    both orders (`pair_probes`), and, when they share words (`both`), the names holding one of those
    ("mar" and "garet": "margaret"); the other sets checked person by person.
    """
    pair = PersonNamePair
    pairs = sa.select(pair.person_id).where(
        sa.or_(
            sa.and_(in_list(pair.first_word, "a_first"), in_list(pair.second_word, "b")),
            sa.and_(in_list(pair.first_word, "b_first"), in_list(pair.second_word, "a")),
        )
    )
    if both:
        one_word = sa.select(PersonNameWord.person_id).where(in_list(PersonNameWord.word, "both"))
        pairs = sa.union(pairs, one_word)
    found = pairs.subquery()
    stmt = sa.select(found.c.person_id)
    for i in range(2, sets):
        held = sa.alias(PersonNameWord.__table__)
        stmt = stmt.where(
            sa.exists().where(
                held.c.person_id == found.c.person_id, in_list(held.c.word, f"set_{i}")
            )
        )
    return stmt


def pair_probes(a: set[str], b: set[str]) -> dict[str, list[str]]:
    """The words to probe the pairs (first <= second) with, in each order: the index is
    probed once for every combination, so the words that cannot come first (after every
    word of the other set) are left out, and those that cannot come second."""
    return {
        "a_first": sorted(w for w in a if w <= max(b)),
        "b": sorted(w for w in b if w >= min(a)),
        "b_first": sorted(w for w in b if w <= max(a)),
        "a": sorted(w for w in a if w >= min(b)),
    }


@lru_cache(maxsize=64)
def _name_page(sets: int, both: bool) -> DirectStatement:
    """A page of live people found by two typed words or more, best first (similarity
    of the whole name to `name`, family name, given name, id), with the total."""
    score = sa.func.similarity(Person.search_name, sa.bindparam("name", type_=sa.String))
    return DirectStatement(
        sa.select(*_IDENTITY, sa.func.count().over().label("total"))
        .where(Person.id.in_(_people_with(sets, both)), Person.status == RecordStatus.LIVE)
        .order_by(score.desc(), Person.family_name, Person.given_name, Person.id)
        .limit(sa.bindparam("limit", type_=sa.Integer))
        .offset(sa.bindparam("offset", type_=sa.Integer))
    )


def _narrowed_by_name(
    name: str, filters: list, criteria: dict[str, Any], limit: int, offset: int
) -> SearchPage:
    """An NHS number, a date of birth or a full postcode already narrows to a handful of
    rows: those holding every word typed, or similar as a whole, are scored here."""
    every_word = sa.and_(*(Person.search_name.contains(w) for w in name.split()))
    score = sa.func.similarity(Person.search_name, name)
    stmt = sa.select(*_IDENTITY).where(*filters, sa.or_(every_word, score >= NAME_SIMILARITY))
    unique = {p.id: p for p in _identities(db.session.execute(stmt, criteria))}
    ranked = sorted(unique.values(), key=rank_key(name))
    return SearchPage(ranked[offset : offset + limit], len(ranked), offset, limit)


def rank_key(name: str):
    """Best match first: similarity of the whole name, then family, given name, id."""
    return lambda p: (-similarity(p.search_name, name), p.family_name, p.given_name, p.id)
