"""Test fixtures: a real database (SQLite, or PostgreSQL when CAREMAP_TEST_DATABASE_URL
is set), migrated with Alembic, each test inside a transaction that is rolled back."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from caremap.app import create_app
from caremap.core.extensions import db
from caremap.core.roles import role_statements
from tests import factories
from tests.factories import PASSWORD, valid_nhs_number  # noqa: F401  (imported from here)

PG_URL = os.environ.get("CAREMAP_TEST_DATABASE_URL", "")
ON_CI = os.environ.get("CI") == "true"

# The team each test user belongs to, by role.
ROLE_TEAMS = {
    "practitioner": "spa-triage",
    "key_worker": "complex-needs-hub",
    "safeguarding_lead": "safeguarding-adults",
    "manager": "performance-commissioning",
    "admin": "caremap-administration",
}


def pytest_report_header(config: Any) -> str:
    return f"caremap database: {'PostgreSQL' if PG_URL else 'SQLite'}"


def fresh_database_url(name: str) -> str:
    """An empty database for this run: a new SQLite file, or a recreated PostgreSQL database."""
    if not PG_URL:
        directory = Path(tempfile.mkdtemp(prefix="caremap-test-"))
        return f"sqlite:///{directory / (name + '.sqlite3')}"
    url = sa.engine.make_url(PG_URL)
    # One database per run and purpose, so runs side by side never collide.
    database = f"{url.database}_{name}_{os.getpid()}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{database}"'))
    except sa.exc.OperationalError as error:
        pytest.exit(f"PostgreSQL at {url.host}:{url.port} is not reachable: {error}", returncode=3)
    finally:
        admin.dispose()
    _created_databases.append(database)
    return url.set(database=database).render_as_string(hide_password=False)


_created_databases: list[str] = []


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if not _created_databases:
        return
    url = sa.engine.make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for database in _created_databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def migrate(url: str) -> None:
    from alembic import command

    from caremap.cli import alembic_config

    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def make_app(url: str, **overrides: Any):
    return create_app(
        {
            "ENV": "test",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "WTF_CSRF_ENABLED": False,
            "TESTING": True,
            # Cheap argon2id parameters: hundreds of users are made and sign in. Production
            # refuses this (tests/auth/test_password_hashing.py).
            "PASSWORD_HASH": "fast",
            **overrides,
        }
    )


def load_base_data(app) -> None:
    """The catalogue and one user per role, committed once for the whole run."""
    from caremap.auth.operations import create_api_token, create_user
    from caremap.seed import seed_reference

    with app.app_context():
        seed_reference()
        for role, team in ROLE_TEAMS.items():
            user = create_user(
                actor=None,
                email=f"{role}@test.example",
                full_name=f"Test {role.replace('_', ' ').title()}",
                role=role,
                team=team,
                password=PASSWORD,
            )
            _, secret = create_api_token(user=user, name="tests")
            app.config.setdefault("TEST_TOKENS", {})[role] = secret
        db.session.commit()


@pytest.fixture(scope="session")
def database_url() -> str:
    url = fresh_database_url("main")
    migrate(url)
    return url


def app_with_its_own_database(name: str):
    """An app on a database of its own, with the base data committed: for tests that need
    real commits from several connections (races, concurrency), which the rolled-back
    test transaction cannot give. Use as `yield from` in a module-scoped fixture."""
    url = fresh_database_url(name)
    migrate(url)
    app = make_app(url)
    load_base_data(app)
    yield app
    with app.app_context():
        db.engine.dispose()


APP_ROLE = "caremap_app_test"


def as_application_role(url: str) -> str:
    """Production's arrangement on PostgreSQL (`caremap db roles`): the schema belongs to
    the role that migrated it, and the app connects as a role that owns nothing, may not
    change or delete audit rows, and cannot switch their triggers off. SQLite has no roles."""
    if not PG_URL:
        return url
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in role_statements(
                database=parsed.database,
                owner=parsed.username or "postgres",
                app=APP_ROLE,
                create_owner=False,
            ):
                conn.exec_driver_sql(statement)
    finally:
        admin.dispose()
    return parsed.set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def app(database_url: str):
    app = make_app(as_application_role(database_url))
    load_base_data(app)
    return app


@pytest.fixture(autouse=True)
def _transaction(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every session of the test joins one outer transaction, rolled back at the end."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    state = db.state(app)
    connection = state.engine.connect()
    outer = connection.begin()
    state.factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        state.factory.configure(bind=state.engine, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    """An app context for setting up data; requests run in their own contexts."""
    with app.app_context():
        yield


user = factories.staff  # the user made for a role by load_base_data


@pytest.fixture
def login_as(client):
    def sign_in(role: str, *, with_client=None):
        c = with_client or client
        response = c.post("/sign-in", data={"email": f"{role}@test.example", "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return c

    return sign_in


@pytest.fixture
def api(app):
    """A client for /api/v1 that sends the role's personal token."""

    class ApiClient:
        def __init__(self, role: str) -> None:
            self.client = app.test_client()
            self.headers = {"Authorization": f"Bearer {app.config['TEST_TOKENS'][role]}"}

        def __getattr__(self, method: str):
            def call(path: str, headers: dict | None = None, **kwargs: Any):
                return getattr(self.client, method)(
                    f"/api/v1{path}", headers={**self.headers, **(headers or {})}, **kwargs
                )

            return call

    return ApiClient


@pytest.fixture
def make_person(app):
    """Register a person (flushed and committed into the test transaction) and return its id.

    For tests that work through HTTP; inside an app context use tests.factories.make_person,
    which returns the Person."""

    def make(role: str = "practitioner", **details: Any) -> int:
        with app.app_context():
            person = factories.make_person(actor=user(role), **details)
            db.session.commit()
            return person.id

    return make


def audit_rows(app, **where: Any) -> list:
    from caremap.audit.models import AuditEvent

    with app.app_context():
        stmt = sa.select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return list(db.session.scalars(stmt))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counted:` block."""
    import contextlib

    from sqlalchemy import event

    @contextlib.contextmanager
    def counting():
        statements: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        engine = db.state(app).engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)

    return counting
