"""One-word fragments, totals past the refine hint, typos at small scale, and the
worker's copy of the name dictionary (people/search.py, people/name_dictionary.py).
Both databases."""

import random

import pytest
import sqlalchemy as sa

from benchmarks.bench_search import typo  # one edit, as the benchmark plants them
from caremap.core.extensions import db
from caremap.people.name_dictionary import RECOUNT_SECONDS, TAIL, name_dictionary
from caremap.people.search import search_page, search_people
from caremap.people.search_models import NameWord
from tests import factories
from tests.conftest import user


def test_a_fragment_past_the_refine_hint_has_its_true_total_and_pages(
    client, login_as, make_person
):
    for n in range(130):
        make_person(given_name=f"Jowan{chr(97 + n % 26)}{n:03d}", family_name="Tremellen")
    make_person(given_name="Jowan", family_name="Tremellenby")
    login_as("practitioner")
    response = client.get("/people/search", query_string={"q": "Tremel"})
    text = response.get_data(as_text=True)
    assert "131 people" in text and "Refine your search" in text
    with client.application.app_context():
        pages = [search_page(q="tremel", limit=25, offset=o) for o in range(0, 150, 25)]
        assert {p.total for p in pages} == {131}
        seen = [person.id for p in pages for person in p.people]
        assert len(seen) == len(set(seen)) == 131
        # the exact word's people (family, given name) before the longer word's
        names = [(p.family_name, p.given_name) for page in pages for p in page.people]
        assert names[:130] == sorted(names[:130], key=lambda n: (n[0].lower(), n[1].lower()))
        assert names[130] == ("Tremellenby", "Jowan")


def test_the_name_itself_comes_before_names_holding_it(app, make_person):
    longer = make_person(given_name="Anna", family_name="Penroseby")
    exact = make_person(given_name="Zoe", family_name="Penrose")
    with app.app_context():
        assert [p.id for p in search_people(q="Penrose")] == [exact, longer]
        assert [p.id for p in search_people(q="penrose")] == [exact, longer]


def test_close_spellings_only_when_the_fragment_finds_less_than_a_page(app, make_person):
    for n in range(4):
        make_person(given_name=f"Demelza{chr(97 + n)}", family_name="Polglase")
    typo = make_person(given_name="Demelza", family_name="Polglaze")
    with app.app_context():
        page = search_page(q="Polglase", limit=3)  # enough hold it: no close spellings
        assert page.total == 4 and typo not in [p.id for p in page.people]
        page = search_page(q="Polglase", limit=25)  # fewer than a page: close ones too
        assert page.total == 5 and page.people[-1].id == typo


GIVEN = ["Margaret", "Jean", "Susan", "John", "David", "Peter", "Ava", "Leo", "Wei", "Kofi"]
SYLLABLES = ["tre", "pen", "pol", "wen", "thom", "son", "war", "ton", "ham", "ley", "ford"]


def test_a_typo_in_the_family_name_finds_the_person_on_the_first_page(app):
    rng = random.Random(19)
    with app.app_context():
        practitioner = user("practitioner")
        people = []
        for _ in range(60):
            family = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3))))
            people.append(
                factories.make_person(
                    actor=practitioner,
                    given_name=rng.choice(GIVEN),
                    family_name=family.capitalize(),
                )
            )
        db.session.flush()
        missed = [
            (p.given_name, p.family_name)
            for p in people
            if p.id
            not in [
                found.id for found in search_people(q=f"{p.given_name} {typo(p.family_name, rng)}")
            ]
        ]
        assert missed == []


def test_the_dictionary_copy_sees_a_word_rolled_back_and_another_in_its_place(app):
    """A rolled-back registration can leave its dictionary id to another word (SQLite
    reuses rowids): the worker's copy must notice, not keep the old word."""
    with app.app_context():
        practitioner = user("practitioner")
        db.session.begin_nested()
        factories.make_person(actor=practitioner, given_name="Ysolde", family_name="Quarnock")
        db.session.flush()
        assert {"ysolde", "quarnock"} <= set(name_dictionary(db.session).words)
        assert len(search_people(q="Quarnock")) == 1
        db.session.rollback()
        factories.make_person(actor=practitioner, given_name="Ysella", family_name="Bosanko")
        db.session.flush()
        words = set(name_dictionary(db.session).words)
        assert {"ysella", "bosanko"} <= words
        assert not {"ysolde", "quarnock"} & words
        assert words == set(db.session.scalars(sa.select(NameWord.word)))
        assert [p.family_name for p in search_people(q="Bosanco")] == ["Bosanko"]
        assert search_people(q="Quarnock") == []


@pytest.mark.parametrize("q", ["ysel", "ys", "quar"])
def test_short_and_partial_fragments_find_by_the_start_or_inside(app, make_person, q):
    person = make_person(given_name="Ysella", family_name="Quarrick")
    with app.app_context():
        assert [p.id for p in search_people(q=q)] == [person]


def test_a_change_behind_the_newest_words_is_seen_at_the_next_count(app, monkeypatch):
    """Each search reads only the newest TAIL words; the whole table is counted every
    RECOUNT_SECONDS, which finds what changed behind them (here a word taken away)."""
    from caremap.people import name_dictionary as dictionary_module

    with app.app_context():
        practitioner = user("practitioner")
        names = [factories.letters(factories.unique() + 7_000) for _ in range(TAIL)]
        for name in names:  # two new words each: the first is soon behind the newest
            factories.make_person(actor=practitioner, given_name="Ysolde", family_name=f"Qx{name}")
        db.session.flush()
        oldest = f"qx{names[0]}".lower()
        assert oldest in name_dictionary(db.session).words
        db.session.execute(sa.delete(NameWord).where(NameWord.word == oldest))

        assert oldest in name_dictionary(db.session).words  # not counted yet: still held
        later = dictionary_module.monotonic() + RECOUNT_SECONDS + 1
        monkeypatch.setattr(dictionary_module, "monotonic", lambda: later)
        words = set(name_dictionary(db.session).words)
        assert oldest not in words
        assert words == set(db.session.scalars(sa.select(NameWord.word)))


def test_a_remembered_close_spelling_is_worked_out_again_once_a_word_is_added(app):
    """Each copy remembers what a typed word holds and is close to; a word added to the
    dictionary (someone registered in another worker) is in the next answer."""
    with app.app_context():
        practitioner = user("practitioner")
        factories.make_person(actor=practitioner, given_name="Ysolde", family_name="Penwarden")
        db.session.flush()
        copy = name_dictionary(db.session)
        assert "penwarden" in copy.close_to("penwardon")
        assert "penwardine" not in copy.close_to("penwardon")
        assert copy.held_by("penward") >= {"penwarden"}
        factories.make_person(actor=practitioner, given_name="Ysolde", family_name="Penwardine")
        db.session.flush()
        assert name_dictionary(db.session) is copy  # caught up, not read again
        assert {"penwarden", "penwardine"} <= copy.close_to("penwardon")
        assert {"penwarden", "penwardine"} <= copy.held_by("penward")
        assert [p.family_name for p in search_people(q="Ysolde Penwardon")] == [
            "Penwarden",
            "Penwardine",
        ]
