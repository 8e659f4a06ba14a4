"""The application's database role owns nothing: it cannot rewrite the audit trail, nor
switch off the triggers that keep it append-only (PostgreSQL; the suite runs as it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from tests.conftest import APP_ROLE, PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="database roles are PostgreSQL's")


def test_the_suite_runs_as_the_application_role(app, ctx):
    assert db.session.scalar(sa.text("SELECT current_user")) == APP_ROLE
    superuser = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
    assert not db.session.scalar(sa.text(superuser))
    owned = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s"
    assert db.session.scalar(sa.text(owned.replace("%s", "current_user"))) == 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET reason = 'rewritten'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "DELETE FROM audit_seals",
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        "UPDATE alembic_version SET version_num = 'x'",
    ],
)
def test_the_application_role_cannot_touch_the_trail(app, ctx, statement):
    with pytest.raises(sa.exc.DBAPIError) as refused, db.session.begin_nested():
        db.session.execute(sa.text(statement))
    message = str(refused.value.orig)
    assert "permission denied" in message or "must be owner" in message, message
