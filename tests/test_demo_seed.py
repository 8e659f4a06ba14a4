"""`caremap seed demo`, which `make run` calls: demo staff, people and a small city, once."""

from __future__ import annotations

import sqlalchemy as sa

from caremap.cli import cli
from caremap.core.extensions import db
from caremap.people.models import Person
from tests.conftest import fresh_database_url, make_app, migrate


def test_seed_demo_on_an_empty_database_then_again():
    url = fresh_database_url("demo")
    migrate(url)
    app = make_app(url)
    runner = app.test_cli_runner()
    try:
        first = runner.invoke(cli, ["seed", "demo", "--city-people", "300"])
        assert first.exit_code == 0, first.output
        assert "Synthetic city: 303 people" in first.output  # 1% planted duplicates
        assert "manager" in first.output and "plymouth-demo-2026" in first.output
        with app.app_context():
            people = db.session.scalar(sa.select(sa.func.count()).select_from(Person))
            penhaligon = db.session.scalar(
                sa.select(sa.func.count()).where(Person.family_name == "Penhaligon")
            )
        assert penhaligon >= 1 and people > 303

        again = runner.invoke(cli, ["seed", "demo", "--city-people", "300"])
        assert again.exit_code == 0, again.output
        assert "Synthetic city" not in again.output
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == people
    finally:
        db.state(app).engine.dispose()
