"""core/in_list.py: one SQL text whatever the list's length on PostgreSQL, and the same
rows as an IN on both databases."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.in_list import in_list
from caremap.people.models import Person
from tests import factories

_BY_IDS = sa.select(Person.id).where(in_list(Person.id, "ids")).order_by(Person.id)


def test_it_finds_the_rows_an_in_finds_for_lists_of_any_length(ctx):
    ids = [factories.make_person().id for _ in range(3)]
    for wanted in ([], ids[:1], ids, [*ids, -1]):
        found = list(db.session.scalars(_BY_IDS, {"ids": wanted}))
        assert found == sorted(i for i in wanted if i in ids)
        assert found == list(
            db.session.scalars(
                sa.select(Person.id).where(Person.id.in_(wanted)).order_by(Person.id)
            )
        )


def test_the_text_sent_is_the_same_for_every_length_on_postgresql(ctx, count_queries):
    ids = [factories.make_person().id for _ in range(3)]
    db.session.flush()  # the registrations' audit rows, sent now and not counted below
    with count_queries() as statements:
        for wanted in (ids[:1], ids[:2], ids):
            db.session.scalars(_BY_IDS, {"ids": wanted}).all()
    texts = set(statements)
    if db.engine.dialect.name == "postgresql":  # one array parameter: prepared once
        assert len(texts) == 1 and "ANY" in next(iter(texts))
    else:  # SQLite: the expanding IN, one placeholder a value
        assert len(texts) == 3
