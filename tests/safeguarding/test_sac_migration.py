"""The migration to SAC's locations: a concern recorded at 'hospital' (the one location the
list before SAC's had that SAC splits three ways) becomes 'hospital_acute'; going back
turns SAC's three hospitals into 'hospital' and a community service into 'other'."""

import sqlalchemy as sa
from alembic import command

from caremap.cli import alembic_config
from caremap.core.extensions import db
from tests import factories
from tests.conftest import fresh_database_url, load_base_data, make_app, migrate

REVISION = "591058c7d478"  # safeguarding_sac_fields


def _locations(url: str) -> dict[int, str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT id, risk_location FROM safeguarding_concerns")
            ).all()
            return {int(id_): location for id_, location in rows}
    finally:
        engine.dispose()


def test_locations_move_to_sacs_list_and_back():
    url = fresh_database_url("sg_sac")
    migrate(url)
    app = make_app(url)
    load_base_data(app)
    with app.app_context():
        person = factories.make_person()
        ids = {
            location: factories.make_concern(person, risk_location=location).id
            for location in ("hospital_mental", "community_service", "own_home")
        }
        db.session.commit()
    db.state(app).engine.dispose()

    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.downgrade(config, f"{REVISION}-1")
    before = _locations(url)
    assert before[ids["hospital_mental"]] == "hospital"
    assert before[ids["community_service"]] == "other"
    assert before[ids["own_home"]] == "own_home"

    command.upgrade(config, "head")
    after = _locations(url)
    assert after[ids["hospital_mental"]] == "hospital_acute"
    assert after[ids["community_service"]] == "other"
    assert after[ids["own_home"]] == "own_home"
