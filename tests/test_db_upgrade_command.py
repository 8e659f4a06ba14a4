"""`caremap db upgrade` says what it did: from which revision, to which, and how many steps."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from caremap.cli import alembic_config, cli
from caremap.core.extensions import db
from tests.conftest import fresh_database_url, make_app


def test_upgrade_names_the_revisions_it_went_through():
    url = fresh_database_url("upgrade_message")
    app = make_app(url)
    script = ScriptDirectory.from_config(alembic_config(url))
    head = script.get_current_head()
    every = list(script.walk_revisions())
    base = every[-1].revision
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(cli, ["db", "upgrade", base])
        assert first.exit_code == 0, first.output
        assert f"Upgraded from none to {base}: 1 revision." in first.output

        rest = runner.invoke(cli, ["db", "upgrade"])
        assert rest.exit_code == 0, rest.output
        assert f"Upgraded from {base} to {head}: {len(every) - 1} revisions." in rest.output

        again = runner.invoke(cli, ["db", "upgrade"])
        assert f"Database is already at {head}: nothing to upgrade." in again.output
    finally:
        db.state(app).engine.dispose()
