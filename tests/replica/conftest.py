"""A real primary and a streaming standby for each module of tests/replica (module scope:
some modules stop the standby), and the app reading from it (CAREMAP_REPLICA_URL)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from caremap.auth.models import User
from caremap.auth.operations import create_api_token
from caremap.core.extensions import db
from tests.conftest import load_base_data, make_app, migrate
from tests.replica.clusters import Clusters, server_programs


@pytest.fixture(scope="module")
def clusters():
    if server_programs() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the PostgreSQL server programs (initdb, pg_basebackup) are missing")
        pytest.skip("the PostgreSQL server programs (initdb, pg_basebackup) are not installed")
    made = Clusters()
    try:
        primary = made.start_primary()
        migrate(primary)
        app = make_app(primary)
        load_base_data(app)  # users and tokens, on the primary
        with app.app_context():
            db.engine.dispose()
        made.start_replica()
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def replicated(clusters):
    """The app on the primary reading from the standby, with a manager's API token made on
    the primary (app.config["MANAGER_TOKEN"])."""
    app = make_app(
        clusters.url(clusters.primary_port), REPLICA_URL=clusters.url(clusters.replica_port)
    )
    with app.app_context():
        manager = db.session.scalar(sa.select(User).where(User.email == "manager@test.example"))
        _, secret = create_api_token(user=manager, name="replica test")
        db.session.commit()
    app.config["MANAGER_TOKEN"] = secret
    yield app
    with app.app_context():
        db.engine.dispose()
        replica = db.replica_session_or_none()
        if replica is not None:
            replica.get_bind().dispose()
