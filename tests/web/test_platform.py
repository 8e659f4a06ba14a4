"""Security headers, CSRF, request logs without personal data, health check, configuration."""

import logging
import re

import pytest

from caremap.app import create_app
from caremap.config import DEV_SECRET, ConfigurationError
from tests.conftest import PASSWORD, text_of


def test_pages_carry_security_headers(client, login_as):
    login_as("practitioner")
    response = client.get("/people/search")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert re.search(r"script-src 'self' 'nonce-[\w-]+'", csp)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_inline_script_carries_the_nonce_of_the_policy(client):
    response = client.get("/sign-in")
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"]).group(1)
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)


def test_forms_refuse_a_post_without_the_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post(
            "/sign-in", data={"email": "admin@test.example", "password": PASSWORD}
        )
        assert response.status_code == 400
        assert "<html" in response.get_data(as_text=True)  # an HTML error page, not JSON
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        signed_in = client.post(
            "/sign-in",
            data={"email": "admin@test.example", "password": PASSWORD, "csrf_token": token},
        )
        assert signed_in.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_one_log_line_per_request_and_no_personal_data(client, login_as, make_person, caplog):
    person_id = make_person(
        given_name="Ophelia",
        family_name="Quartermaine",
        nhs_number="9434765919",
        date_of_birth="1961-04-23",
    )
    login_as("practitioner")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="caremap"):
        client.get("/people/search?q=Ophelia+Quartermaine&postcode=PL4+6AB")
        client.get(f"/people/{person_id}")
        client.get("/people/search?nhs_number=943+476+5919")
    lines = [r.getMessage() for r in caplog.records if r.name == "caremap.requests"]
    assert len(lines) == 3
    for line in lines:
        assert re.search(
            r"request_id=\w+ user_id=\d+ method=GET route=\S+ status=\d+ duration_ms=", line
        )
    everything = "\n".join(r.getMessage() for r in caplog.records)
    for secret in (
        "Ophelia",
        "Quartermaine",
        "9434765919",
        "943 476 5919",
        "943+476",
        "1961",
        "PL4",
    ):
        assert secret not in everything


def test_request_id_is_returned_and_can_be_passed_in(client):
    response = client.get("/healthz", headers={"X-Request-Id": "lb-1234abcd"})
    assert response.headers["X-Request-Id"] == "lb-1234abcd"
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz").headers["X-Request-Id"])


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_is_unreachable(tmp_path):
    app = create_app(
        {
            "ENV": "test",
            "SECRET_KEY": "x" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


@pytest.mark.parametrize("key", [None, "short"])
def test_in_production_a_missing_or_short_audit_key_stops_start_up(key, monkeypatch):
    monkeypatch.delenv("CAREMAP_AUDIT_KEY", raising=False)
    config = {"ENV": "production", "DATABASE_URL": "sqlite://", "SECRET_KEY": "s" * 64}
    if key is not None:
        config["AUDIT_KEY"] = key
    with pytest.raises(ConfigurationError, match="CAREMAP_AUDIT_KEY"):
        create_app(config)


@pytest.mark.parametrize("secret", [None, DEV_SECRET, "short"])
def test_outside_development_a_missing_or_default_secret_stops_start_up(secret, monkeypatch):
    monkeypatch.delenv("CAREMAP_SECRET_KEY", raising=False)
    config = {"ENV": "production", "DATABASE_URL": "sqlite://"}
    if secret is not None:
        config["SECRET_KEY"] = secret
    with pytest.raises(ConfigurationError, match="CAREMAP_SECRET_KEY"):
        create_app(config)


def test_configuration_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CAREMAP_SIGN_IN_MAX_FAILURES", "9")
    monkeypatch.setenv("CAREMAP_ENV", "production")
    monkeypatch.setenv("CAREMAP_SECRET_KEY", "s" * 64)
    monkeypatch.setenv("CAREMAP_AUDIT_KEY", "a" * 64)
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SIGN_IN_MAX_FAILURES"] == 9
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_times_are_stored_in_utc_and_shown_in_london_time(app, client, login_as, make_person):
    import datetime as dt

    import sqlalchemy as sa

    from caremap.core.extensions import db
    from caremap.people.models import Person

    person_id = make_person(role="practitioner")
    summer_utc = dt.datetime(2026, 7, 1, 11, 30, tzinfo=dt.UTC)
    with app.app_context():
        db.session.execute(
            sa.update(Person).where(Person.id == person_id).values(created_at=summer_utc)
        )
        db.session.commit()
        stored = db.session.get(Person, person_id).created_at
    assert stored == summer_utc and stored.tzinfo is not None
    with app.test_request_context():
        rendered = app.jinja_env.filters["uk_datetime"](stored)
    assert rendered == "1 July 2026 at 12:30"  # BST is UTC+1


def test_unknown_pages_are_html_and_unknown_api_routes_are_json(client, login_as):
    login_as("practitioner")
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "Page not found" in text_of(page)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.json["code"] == 404
