"""Sign-in: argon2id hashes, a generic error, lock-out, sessions that really end."""

import sqlalchemy as sa

from caremap.auth.models import SignInAttempt, User
from caremap.core.extensions import db
from tests.conftest import PASSWORD, text_of


def test_password_is_stored_as_argon2id(app):
    with app.app_context():
        stored = db.session.scalar(
            sa.select(User.password_hash).where(User.email == "admin@test.example")
        )
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_bad_password_and_unknown_address_get_the_same_generic_error(client):
    wrong_password = client.post(
        "/sign-in", data={"email": "admin@test.example", "password": "nope"}
    )
    no_account = client.post("/sign-in", data={"email": "nobody@test.example", "password": "nope"})
    assert wrong_password.status_code == no_account.status_code == 401
    for response in (wrong_password, no_account):
        assert "Enter a correct email address and password" in text_of(response)
    assert client.get("/").status_code == 302  # still signed out


def test_missing_fields_name_the_field(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 422
    body = text_of(response)
    assert "Enter email address" in body and "Enter password" in body


def test_five_failures_lock_the_address_even_for_the_right_password(app, client):
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        client.post("/sign-in", data={"email": "admin@test.example", "password": "wrong"})
    response = client.post("/sign-in", data={"email": "admin@test.example", "password": PASSWORD})
    assert response.status_code == 401
    assert "Too many failed attempts" in text_of(response)
    with app.app_context():
        attempts = db.session.scalars(
            sa.select(SignInAttempt.succeeded).where(SignInAttempt.email == "admin@test.example")
        ).all()
    assert attempts.count(False) == app.config["SIGN_IN_MAX_FAILURES"] + 1
    assert True not in attempts


def test_an_address_without_an_account_locks_the_same_way(app, client):
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        client.post("/sign-in", data={"email": "ghost@test.example", "password": "wrong"})
    response = client.post("/sign-in", data={"email": "ghost@test.example", "password": "wrong"})
    assert "Too many failed attempts" in text_of(response)


def test_other_users_are_not_locked_by_someones_failures(app, client, login_as):
    for _ in range(app.config["SIGN_IN_MAX_FAILURES"]):
        client.post("/sign-in", data={"email": "admin@test.example", "password": "wrong"})
    login_as("manager")
    assert client.get("/").status_code == 200


def test_next_only_redirects_within_the_site(client):
    inside = client.post(
        "/sign-in?next=/people/search", data={"email": "admin@test.example", "password": PASSWORD}
    )
    assert inside.headers["Location"] == "/people/search"
    client.post("/sign-out")
    outside = client.post(
        "/sign-in?next=https://evil.example/x",
        data={"email": "admin@test.example", "password": PASSWORD},
    )
    assert outside.headers["Location"] == "/"


def test_sign_out_ends_the_session_and_a_copied_cookie(app, login_as):
    browser = login_as("manager", with_client=app.test_client())
    copied_cookie = browser.get_cookie("session").value
    assert browser.post("/sign-out").status_code == 302
    assert browser.get("/").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied_cookie)
    assert thief.get("/").status_code == 302  # the copy no longer works either


def test_changing_password_ends_other_sessions(app, login_as):
    laptop = login_as("key_worker", with_client=app.test_client())
    phone = login_as("key_worker", with_client=app.test_client())
    new_password = "a-brand-new-passphrase"
    response = laptop.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert response.status_code == 302
    assert phone.get("/").status_code == 302
    signed_in = app.test_client().post(
        "/sign-in", data={"email": "key_worker@test.example", "password": new_password}
    )
    assert signed_in.status_code == 302


def test_password_change_rules(client, login_as):
    login_as("key_worker")
    short = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"},
    )
    assert short.status_code == 422 and "New password" in text_of(short)
    wrong_current = client.post(
        "/account/password",
        data={
            "current_password": "not-it",
            "new_password": "long-enough-pass",
            "confirm_password": "long-enough-pass",
        },
    )
    assert wrong_current.status_code == 422 and "current password is not correct" in text_of(
        wrong_current
    )
    mismatch = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "long-enough-pass",
            "confirm_password": "other-long-pass",
        },
    )
    assert mismatch.status_code == 422 and "must match the new password" in text_of(mismatch)


def test_deactivated_user_is_signed_out_and_cannot_sign_in(app, client, login_as):
    worker = login_as("key_worker", with_client=app.test_client())
    login_as("admin")
    with app.app_context():
        target = db.session.scalar(sa.select(User).where(User.email == "key_worker@test.example"))
        target_id, version = target.id, target.version
    response = client.post(
        f"/admin/users/{target_id}",
        data={
            "full_name": "Test Key Worker",
            "role": "key_worker",
            "team": "complex-needs-hub",
            "version": version,
        },
    )
    assert response.status_code == 302
    assert worker.get("/").status_code == 302
    again = app.test_client().post(
        "/sign-in", data={"email": "key_worker@test.example", "password": PASSWORD}
    )
    assert again.status_code == 401
