"""Admin pages and API for users; personal API tokens; `caremap users create`."""

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.cli import cli
from caremap.core.extensions import db
from tests.conftest import text_of


def _count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


def test_admin_adds_a_user_who_can_then_sign_in(app, client, login_as):
    login_as("admin")
    response = client.post(
        "/admin/users",
        data={
            "full_name": "Jo Newstarter",
            "email": "Jo.Newstarter@Test.Example",
            "role": "key_worker",
            "team": "reablement-plymouth",
            "password": "temporary-pass-123",
        },
    )
    assert response.status_code == 302
    fresh = app.test_client()
    assert (
        fresh.post(
            "/sign-in",
            data={"email": "jo.newstarter@test.example", "password": "temporary-pass-123"},
        ).status_code
        == 302
    )
    assert "Jo Newstarter" in text_of(fresh.get("/"))


def test_adding_a_user_with_bad_input_names_the_fields_and_adds_nobody(app, client, login_as):
    login_as("admin")
    before = _count_users(app)
    response = client.post(
        "/admin/users",
        data={
            "full_name": "",
            "email": "not-an-email",
            "role": "key_worker",
            "team": "reablement-plymouth",
            "password": "short",
        },
    )
    assert response.status_code == 422
    body = text_of(response)
    assert "Enter full name" in body
    assert "Email address" in body and "Temporary password" in body
    assert _count_users(app) == before


def test_duplicate_email_is_a_conflict(app, api):
    response = api("admin").post(
        "/users",
        json={
            "email": "manager@test.example",
            "full_name": "X",
            "role": "manager",
            "team": "performance-commissioning",
            "password": "long-enough-pass",
        },
    )
    assert response.status_code == 409
    assert "email" in response.json["errors"]["json"]


def test_only_admins_see_user_administration(client, login_as, api):
    login_as("manager")
    assert client.get("/admin/users").status_code == 404
    assert api("manager").get("/users").status_code == 404
    assert api("admin").get("/users").status_code == 200


def test_admin_cannot_remove_their_own_admin_role(app, api):
    with app.app_context():
        me = db.session.scalar(sa.select(User).where(User.email == "admin@test.example"))
        me_id, version = me.id, me.version
    response = api("admin").patch(f"/users/{me_id}", json={"role": "manager", "version": version})
    assert response.status_code == 422
    assert "role" in response.json["errors"]["json"]


def test_stale_user_edit_is_refused(app, api):
    with app.app_context():
        target = db.session.scalar(sa.select(User).where(User.email == "manager@test.example"))
        target_id, version = target.id, target.version
    admin = api("admin")
    assert (
        admin.patch(
            f"/users/{target_id}", json={"full_name": "Renamed", "version": version}
        ).status_code
        == 200
    )
    stale = admin.patch(f"/users/{target_id}", json={"full_name": "Again", "version": version})
    assert stale.status_code == 409


def test_api_needs_a_token_and_ignores_the_session_cookie(client, login_as):
    assert client.get("/api/v1/me").status_code == 401
    login_as("admin")
    assert client.get("/api/v1/me").status_code == 401
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer cm_not-a-real-token"})
    assert bad.status_code == 401
    assert bad.json["code"] == 401


def test_token_created_on_the_account_page_works_until_revoked(app, client, login_as):
    login_as("practitioner")
    page = client.post("/account/tokens", data={"name": "GP system"})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    secret = body.split('<code id="new-token">')[1].split("</code>")[0]
    headers = {"Authorization": f"Bearer {secret}"}
    assert (
        app.test_client().get("/api/v1/me", headers=headers).json["email"]
        == "practitioner@test.example"
    )
    from caremap.auth.models import ApiToken

    with app.app_context():
        token_id = db.session.scalar(sa.select(ApiToken.id).where(ApiToken.name == "GP system"))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_cli_creates_a_user_and_reports_bad_input(app):
    runner = app.test_cli_runner()
    before = _count_users(app)
    bad = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "x@test.example",
            "--name",
            "X",
            "--role",
            "admin",
            "--team",
            "no-such-team",
            "--password",
            "long-enough-pass",
        ],
    )
    assert bad.exit_code == 2 and "team" in bad.output
    short = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "x@test.example",
            "--name",
            "X",
            "--role",
            "admin",
            "--team",
            "caremap-administration",
            "--password",
            "short",
        ],
    )
    assert short.exit_code == 2 and "password" in short.output
    assert _count_users(app) == before
    good = runner.invoke(
        cli,
        [
            "users",
            "create",
            "--email",
            "cli@test.example",
            "--name",
            "Cli User",
            "--role",
            "manager",
            "--team",
            "performance-commissioning",
            "--password",
            "long-enough-pass",
        ],
    )
    assert good.exit_code == 0, good.output
    assert _count_users(app) == before + 1
