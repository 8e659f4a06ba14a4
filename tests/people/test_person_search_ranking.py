"""Name search gives the best matches of the rule, on both databases, with the true total.

The rule (caremap/people/search.py): a typed word holds a word of a name when it is
inside it (a word of one or two letters: when it begins it); it is close to a word it
holds or that is a close spelling (close_names). A person matches when every typed word
holds a word of their names; when fewer than a page match so, when every typed word
holds or is close to one. Best match first: for one typed word, the person's most
similar word, then family name and given name (lower case), id; for more, similarity
of the whole name, then family name, given name, id. The expected answer here is
worked out from every live row in Python, not from the search tables, so it also proves
the tables the database keeps.
"""

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.trigrams import close_names, normalise_name, similarity
from caremap.people.models import Person
from caremap.people.search import search_page, search_people
from caremap.people.search_models import NameWord, PersonNamePair, PersonNameWord

NAMES = [
    ("Margaret", "Quillerby"),
    ("Margret", "Quilerby"),
    ("Margaret", "Quillerbey"),
    ("Marjorie", "Quill"),
    ("Martin", "Quillerbyson"),
    ("Margaret", "Questor"),
    ("Mags", "Quillerby"),
    ("Quillerby", "Margaret"),
    ("Ann", "Quillerby"),
    ("Margaret", "Ox"),
    ("Bob", "Quillanby"),
    ("Mary Ann", "Ox-Quill"),
    ("Barry", "Howe"),
    ("Graham", "Lees"),
]


def _holds(typed: str, word: str) -> bool:
    return word.startswith(typed) if len(typed) < 3 else typed in word


def _close(typed: str, word: str) -> bool:
    return _holds(typed, word) or (len(typed) >= 3 and close_names(typed, word))


def matches(q: str, limit: int) -> list[Person]:
    name = normalise_name(q)
    people = db.session.scalars(sa.select(Person).where(Person.status == "live")).all()

    def every(test):
        return [
            p
            for p in people
            if all(any(test(t, w) for w in p.search_name.split()) for t in name.split())
        ]

    test = _holds
    found = every(_holds)
    if len(found) < limit:
        test = _close
        found = every(_close)
    typed = name.split()
    if len(typed) == 1:  # the best word's similarity, then family and given name
        return sorted(found, key=lambda p: (-_best_word(typed[0], p, test), _sort_key(p), p.id))
    return sorted(
        found, key=lambda p: (-similarity(p.search_name, name), p.family_name, p.given_name, p.id)
    )


def _best_word(typed: str, person: Person, test) -> float:
    return max(round(similarity(w, typed), 6) for w in person.search_name.split() if test(typed, w))


def _sort_key(person: Person) -> str:
    return f"{person.family_name.lower()} {person.given_name.lower()}"


QUERIES = [
    "Margaret Quilerby",
    "Margret Quillerby",
    "quillerby margaret",
    "Quill",
    "Marg Quil",
    "Quillerbey",
    "Margaret",
    "Qillerby",
    "ma qu",
    "mary ann ox",
    "Ox Quill Mary",
    "Mar Gar",
    "Barry Ohwe",  # one slip in a short name shares almost no trigrams with it
    "Graham Eles",
]


@pytest.mark.parametrize("q", QUERIES)
@pytest.mark.parametrize("limit", [1, 3, 25])
def test_the_page_is_the_best_matches_of_the_rule(app, make_person, q, limit):
    for given, family in NAMES:
        make_person(given_name=given, family_name=family)
    with app.app_context():
        everything = matches(q, limit)
        page = search_page(q=q, limit=limit)
        assert [p.id for p in page.people] == [p.id for p in everything[:limit]]
        assert page.total == len(everything)


def test_pages_follow_one_another_with_the_same_total(app, make_person):
    for n in range(7):
        make_person(given_name=f"Petroc{chr(97 + n)}", family_name="Tremayne")
    with app.app_context():
        pages = [search_page(q="Tremayne", limit=3, offset=offset) for offset in (0, 3, 6, 9)]
        assert [p.total for p in pages] == [7, 7, 7, 7]
        assert [len(p.people) for p in pages] == [3, 3, 1, 0]
        seen = [person.id for p in pages for person in p.people]
        assert len(set(seen)) == 7
        assert (pages[1].first, pages[1].last, pages[1].has_next) == (4, 6, True)
        assert (pages[2].has_next, pages[3].first) == (False, 0)


def test_a_search_by_postcode_alone_counts_everyone_there(app, make_person):
    for n in range(4):
        make_person(given_name="Jo", family_name=f"Penrose{n}", postcode="PL3 5AB")
    with app.app_context():
        page = search_page(postcode="PL3", limit=2)
        assert page.total == 4 and len(page.people) == 2


def test_a_typo_finds_the_person_first_among_many_with_the_same_first_name(app, make_person):
    target = make_person(given_name="Linda", family_name="Hamlin")
    for n in range(30):
        make_person(given_name="Linda", family_name=f"Ab{chr(97 + n % 26)}{n}")
    with app.app_context():
        assert search_people(q="linda hamln", limit=5)[0].id == target


def test_a_rename_is_searchable_at_once(app, make_person, api):
    person = make_person(given_name="Ezekiel", family_name="Trewartha")
    record = api("admin").get(f"/people/{person}").json
    version = record.get("version") or record["person"]["version"]
    response = api("admin").patch(
        f"/people/{person}", json={"family_name": "Penhaligon", "version": version}
    )
    assert response.status_code == 200, response.json
    with app.app_context():
        assert [p.id for p in search_people(q="Penhaligon")] == [person]
        assert person not in [p.id for p in search_people(q="Trewartha")]


def _words_and_pairs(person_id: int) -> tuple[set, set]:
    words = set(
        db.session.scalars(
            sa.select(PersonNameWord.word).where(PersonNameWord.person_id == person_id)
        )
    )
    pairs = set(
        tuple(row)
        for row in db.session.execute(
            sa.select(PersonNamePair.first_word, PersonNamePair.second_word).where(
                PersonNamePair.person_id == person_id
            )
        )
    )
    return words, pairs


def test_the_database_keeps_the_words_of_live_records_only(app, make_person, api):
    a = make_person(
        role="admin", given_name="Zebedee", family_name="Nancarrow", preferred_name="Zeb"
    )
    b = make_person(role="admin", given_name="Zebedie", family_name="Nancarrow")
    with app.app_context():
        assert _words_and_pairs(a) == (
            {"zebedee", "zeb", "nancarrow"},
            {("nancarrow", "zebedee"), ("nancarrow", "zeb"), ("zeb", "zebedee")},
        )
        dictionary = set(db.session.scalars(sa.select(NameWord.word)))
        assert {"zebedee", "zebedie", "zeb", "nancarrow"} <= dictionary
    response = api("admin").post(
        f"/people/{a}/merge", json={"duplicate_id": b, "reason": "same person"}
    )
    assert response.status_code == 200, response.json
    with app.app_context():
        assert _words_and_pairs(b) == (set(), set())  # merged away: no longer found
        assert "nancarrow" in _words_and_pairs(a)[0]
        assert [p.id for p in search_people(q="Zebedie Nancarrow")] == [a]
