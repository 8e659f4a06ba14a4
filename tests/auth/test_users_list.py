"""The users list grows with a city: searchable by name, email or team, and paged."""

import re

import pytest

from caremap.core.extensions import db
from tests.conftest import text_of
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("ctx")


def _names(page: str) -> list[str]:
    return re.findall(r'href="/admin/users/\d+">([^<]+)</a>', page)


def test_users_are_found_by_name_email_or_team_and_paged(client, login_as):
    for n in range(27):
        make_user(full_name=f"Listed Person {n:02}", email=f"listed{n}@test.example")
    db.session.commit()
    login_as("admin")

    found = text_of(client.get("/admin/users", query_string={"q": "listed person"}))
    assert "27 users matching “listed person”, showing 1–25" in found
    assert len(_names(found)) == 25 and "page=2" in found
    second = text_of(client.get("/admin/users", query_string={"q": "listed person", "page": 2}))
    assert _names(second) == ["Listed Person 25", "Listed Person 26"]

    by_email = text_of(client.get("/admin/users", query_string={"q": "listed26@"}))
    assert _names(by_email) == ["Listed Person 26"]
    by_team = text_of(client.get("/admin/users", query_string={"q": "safeguarding adults"}))
    assert "Test Safeguarding Lead" in _names(by_team) and "Listed Person 00" not in by_team
    nobody = text_of(client.get("/admin/users", query_string={"q": "%"}))
    assert "0 users matching “%”" in nobody
