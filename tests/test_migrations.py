"""The schema Alembic builds is the schema the models describe, on this run's database."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from caremap.cli import alembic_config
from caremap.core.trigrams import include_object_for
from caremap.models import metadata
from tests.conftest import fresh_database_url


def test_there_is_one_migration_head(database_url):
    heads = ScriptDirectory.from_config(alembic_config(database_url)).get_heads()
    assert len(heads) == 1, heads


def test_upgraded_schema_equals_the_models(database_url):
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            include_object = include_object_for(connection.dialect.name)
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_back_up():
    from alembic import command

    url = fresh_database_url("migrations")
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    engine = sa.create_engine(url)
    try:
        tables = set(sa.inspect(engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
    finally:
        engine.dispose()
    command.upgrade(config, "head")
    engine = sa.create_engine(url)
    try:
        assert "people" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()
