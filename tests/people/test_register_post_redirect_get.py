"""Registering, post/redirect/get (issue 18): a registration that may duplicate a record is
held server side and the post answers 303; the warning is a page got, worked out afresh
and audited each time; the confirm creates once; a token names nothing for anyone else."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.people.models import Person
from caremap.ui.pending import GONE, PendingForm
from tests import factories
from tests.conftest import audit_rows, text_of

FORM = {
    "given_name": "Margaret",
    "family_name": "Penwarden",
    "date_of_birth": ["7", "3", "1944"],
    "postcode": "PL5 3BX",
    "sex": "female",
}
TYPO = {**FORM, "family_name": "Penwardon", "preferred_name": "Peggy Quillerbright"}
GONE_WORDS = "This form is no longer held"


def count_people(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Person))


def hold_a_likely_duplicate(client) -> tuple[str, str]:
    """Register Margaret, then post a near miss: the held page's address and its token."""
    assert client.post("/people/new", data=FORM).status_code == 302
    held = client.post("/people/new", data=TYPO)
    assert held.status_code == 303
    location = held.headers["Location"]
    assert location.startswith("/people/new?held=")
    return location, location.split("held=", 1)[1]


def session_of(app, client) -> dict:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_the_post_redirects_to_a_page_got_that_shows_the_warning(app, client, login_as):
    login_as("practitioner")
    before = count_people(app) + 1
    location, _ = hold_a_likely_duplicate(client)
    # What was typed is held server side: not in the address, not in the signed cookie.
    assert "Quillerbright" not in location and "Penwardon" not in location
    assert "Quillerbright" not in str(session_of(app, client))
    shown = client.get(location)
    assert shown.status_code == 200
    page = text_of(shown)
    assert "This person may already have a record" in page
    assert "Use Margaret Penwarden's record" in page
    assert 'value="Peggy Quillerbright"' in page  # the form, as typed
    assert f'name="held" value="{location.split("held=")[1]}"' in page
    assert count_people(app) == before


def test_each_showing_is_audited_and_reflects_the_records_as_they_are_now(app, client, login_as):
    login_as("practitioner")
    location, _ = hold_a_likely_duplicate(client)
    shown_before = len(audit_rows(app, action="people.duplicates_shown"))
    client.get(location)
    rows = audit_rows(app, action="people.duplicates_shown")
    assert len(rows) == shown_before + 1 and len(rows[-1].changes["candidates"]) == 1
    with app.app_context():  # someone registers another near miss meanwhile
        later = factories.make_person(
            actor=factories.staff("key_worker"),
            given_name="Margaret",
            family_name="Penwardin",
            date_of_birth="1944-03-07",
            postcode="PL5 3BX",
        )
        db.session.commit()
        later_id = later.id
    again = text_of(client.get(location))
    assert "Use Margaret Penwardin's record" in again
    rows = audit_rows(app, action="people.duplicates_shown")
    assert len(rows) == shown_before + 2 and later_id in rows[-1].changes["candidates"]


def test_the_confirm_creates_once_and_a_second_confirm_creates_nothing_and_says_so(
    app, client, login_as
):
    login_as("practitioner")
    location, token = hold_a_likely_duplicate(client)
    client.get(location)
    before = count_people(app)
    confirm = {**TYPO, "confirm_no_duplicate": "y", "held": token}
    created = client.post("/people/new", data=confirm)
    assert created.status_code == 302 and created.headers["Location"].startswith("/people/")
    assert count_people(app) == before + 1
    with app.app_context():  # deleted when used
        assert db.session.get(PendingForm, token) is None
    again = client.post("/people/new", data=confirm)
    assert again.status_code == 303 and again.headers["Location"] == "/people/new"
    assert count_people(app) == before + 1
    told = text_of(client.get("/people/new"))
    assert GONE in told
    # The page held before is gone too, and says so (the back button after registering).
    back = client.get(location)
    assert back.status_code == 404 and GONE_WORDS in text_of(back)
    assert "Quillerbright" not in text_of(back)


def test_a_still_unanswered_warning_keeps_its_address(app, client, login_as):
    login_as("practitioner")
    location, token = hold_a_likely_duplicate(client)
    before = count_people(app)
    # Register again from the held page without ticking the box: held again, same token.
    again = client.post("/people/new", data={**TYPO, "held": token})
    assert again.status_code == 303 and again.headers["Location"] == location
    assert count_people(app) == before
    assert "This person may already have a record" in text_of(client.get(location))


def test_another_users_token_shows_nothing_of_it(app, client, login_as):
    login_as("practitioner")
    location, token = hold_a_likely_duplicate(client)
    other = login_as("key_worker", with_client=app.test_client())
    theirs = other.get(location)
    assert theirs.status_code == 404
    body = text_of(theirs)
    assert GONE_WORDS in body
    for private in ("Quillerbright", "Penwardon", "Penwarden", "PL5 3BX"):
        assert private not in body
    before = count_people(app)
    used = other.post("/people/new", data={"held": token, "confirm_no_duplicate": "y"})
    assert used.status_code == 303 and count_people(app) == before
    # ... and it is still the practitioner's, unharmed.
    assert client.get(location).status_code == 200


def test_an_expired_or_made_up_token_gives_the_empty_form(app, client, login_as):
    login_as("practitioner")
    location, token = hold_a_likely_duplicate(client)
    with app.app_context():
        db.session.execute(
            sa.update(PendingForm)
            .where(PendingForm.id == token)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
        db.session.commit()
    for address in (location, "/people/new?held=made-up", "/people/new?held=" + "x" * 300):
        expired = client.get(address)
        assert expired.status_code == 404
        body = text_of(expired)
        assert GONE_WORDS in body and "Quillerbright" not in body
        assert 'value="Margaret"' not in body and "Register a person" in body
    # Holding another form deletes the expired ones.
    client.post("/people/new", data={**TYPO, "given_name": "Margeret"})
    with app.app_context():
        assert db.session.get(PendingForm, token) is None


def test_the_same_name_and_birth_asks_for_a_reason_on_the_page_got(app, client, login_as):
    login_as("practitioner")
    first = client.post("/people/new", data=FORM)
    first_id = int(first.headers["Location"].rsplit("/", 1)[1])
    held = client.post("/people/new", data=FORM)
    assert held.status_code == 303
    page = text_of(client.get(held.headers["Location"]))
    assert "A record already has this name and date of birth" in page
    assert f'name="not_the_same_person_as" value="{first_id}"' in page
    token = held.headers["Location"].split("held=")[1]
    before = count_people(app)
    no_reason = client.post(
        "/people/new", data={**FORM, "not_the_same_person_as": str(first_id), "held": token}
    )
    assert no_reason.status_code == 303
    assert "Enter why this is a different person" in text_of(
        client.get(no_reason.headers["Location"])
    )
    done = client.post(
        "/people/new",
        data={**FORM, "not_the_same_person_as": str(first_id), "reason": "Twins", "held": token},
    )
    assert done.status_code == 302 and count_people(app) == before + 1
