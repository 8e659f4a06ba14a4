"""New passwords (ASVS 4.0 V2.1): 12 characters or more, not a common or breached one, not
made of the user's own name or email or the service's name; long passphrases welcome."""

from __future__ import annotations

import pytest

from caremap.auth import operations
from caremap.auth.password_policy import check_new_password
from caremap.core.errors import DomainError
from tests.conftest import PASSWORD, user

WHO = {"email": "jo.bloggs@nhs.example", "full_name": "Joanna Bloggs"}


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "most common passwords"),
        ("Password1234!", "most common passwords"),
        ("qwertyuiop123", "most common passwords"),
        ("jo.bloggs-is-here", "your name or email"),
        ("my-name-is-joanna-b", "your name or email"),
        ("BLOGGS-and-more-words", "your name or email"),
        ("my-caremap-secret-99", "name of this service"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, reason):
    with pytest.raises(DomainError, match=reason) as refused:
        check_new_password(password, field="password", **WHO)
    assert refused.value.field == "password"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "a kettle on the Tamar at dawn",
        "7 rivers, 3 bridges, 1 city",
    ],
)
def test_long_passphrases_are_welcome(password):
    check_new_password(password, field="password", **WHO)


def test_changing_to_a_common_password_is_refused_and_changes_nothing(app, ctx):
    me = user("key_worker")
    before = me.password_hash
    with pytest.raises(DomainError, match="most common") as refused:
        operations.change_password(user=me, current_password=PASSWORD, new_password="iloveyou12345")
    assert refused.value.field == "new_password"
    assert me.password_hash == before


def test_an_admin_cannot_create_an_account_with_the_users_own_name(app, ctx):
    with pytest.raises(DomainError, match="your name") as refused:
        operations.create_user(
            actor=user("admin"),
            email="priya.shah@caremap.example",
            full_name="Priya Shah",
            role="practitioner",
            team="spa-triage",
            password="shah-priya-2026-ok",
        )
    assert refused.value.field == "password"


def test_the_change_password_page_says_why(app, client, login_as):
    login_as("key_worker")
    response = client.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "password123456",
            "confirm_password": "password123456",
        },
    )
    assert response.status_code == 422
    assert "most common passwords" in response.get_data(as_text=True)
