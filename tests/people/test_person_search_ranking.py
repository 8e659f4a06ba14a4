"""Name search gives the best matches of the rule, on both databases, whatever the plan.

The rule: a name matches when every word typed appears in it, or it is similar as a
whole (trigram similarity >= 0.3). Best match first (similarity, then family name,
given name, id). When the names holding every word typed fill the page, they are the
page; otherwise the page is the best of all the matches.
"""

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.core.trigrams import normalise_name, similarity
from caremap.people.models import Person
from caremap.people.queries import search_people

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
]


def expected(q: str, limit: int) -> list[int]:
    name = normalise_name(q)
    people = db.session.scalars(sa.select(Person).where(Person.status == "live")).all()
    holding = [p for p in people if all(w in p.search_name for w in name.split())]
    similar = [p for p in people if similarity(p.search_name, name) >= 0.3]
    pool = holding if len(holding) >= limit else {p.id: p for p in holding + similar}.values()
    ranked = sorted(
        pool, key=lambda p: (-similarity(p.search_name, name), p.family_name, p.given_name, p.id)
    )
    return [p.id for p in ranked[:limit]]


@pytest.mark.parametrize(
    "q",
    [
        "Margaret Quilerby",
        "Margret Quillerby",
        "quillerby margaret",
        "Quill",
        "Marg Quil",
        "Quillerbey",
        "Margaret",
        "Qillerby",
    ],
)
@pytest.mark.parametrize("limit", [1, 3, 25])
def test_the_page_is_the_best_matches_of_the_rule(app, make_person, q, limit):
    for given, family in NAMES:
        make_person(given_name=given, family_name=family)
    with app.app_context():
        found = [p.id for p in search_people(q=q, limit=limit)]
        assert found == expected(q, limit)


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


@pytest.mark.parametrize("ladder", [(0.3,), (0.5, 0.3), (0.4, 0.3), (0.375, 0.3), (0.6, 0.45, 0.3)])
def test_any_ladder_of_thresholds_gives_the_same_page(app, make_person, monkeypatch, ladder):
    from caremap.people import queries

    for given, family in NAMES:
        make_person(given_name=given, family_name=family)
    monkeypatch.setattr(queries, "SIMILARITY_LADDER", ladder)
    with app.app_context():
        for q in ("Margret Quillerby", "Qillerby Margaret", "Mags Quillerbey", "Bob Quillerby"):
            for limit in (2, 4):
                assert [p.id for p in search_people(q=q, limit=limit)] == expected(q, limit), q
