"""The migration that added the days events happened fills them for the concerns entered
before: each from the moment it was entered, on the city's calendar (not UTC's)."""

import datetime as dt

import sqlalchemy as sa
from alembic import command

from caremap.cli import alembic_config
from caremap.core import clock
from caremap.core.extensions import db
from caremap.safeguarding.models import Concern, Enquiry
from caremap.safeguarding.operations import conclude_enquiry
from tests import factories
from tests.conftest import fresh_database_url, load_base_data, make_app, migrate
from tests.safeguarding.answers import SAC_ANSWERS

REVISION = "e1fa0fc5d20d"  # safeguarding_history_as_it_happened
# 23:30 UTC on midsummer evenings: already the next day in London (BST).
RAISED_AT = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)
TRIAGED_AT = dt.datetime(2026, 7, 2, 23, 30, tzinfo=dt.UTC)
CLOSED_AT = dt.datetime(2026, 7, 20, 12, 0, tzinfo=dt.UTC)


def test_existing_concerns_get_the_local_day_of_the_moment_they_were_entered():
    url = fresh_database_url("sg_history")
    migrate(url)
    app = make_app(url)
    load_base_data(app)
    with app.app_context():
        person = factories.make_person()
        concern = factories.make_concern(person)
        enquiry = factories.make_enquiry(concern)
        conclude_enquiry(
            actor=factories.staff("safeguarding_lead"),
            enquiry=enquiry,
            version=enquiry.version,
            substantiated="fully",
            **SAC_ANSWERS,
            risk_outcome="removed",
            outcomes_achieved="fully",
            closed_on=clock.today(),
        )
        db.session.execute(
            sa.update(Concern)
            .where(Concern.id == concern.id)
            .values(raised_at=RAISED_AT, triaged_at=TRIAGED_AT, closed_at=CLOSED_AT)
        )
        db.session.commit()
        concern_id, enquiry_id = concern.id, enquiry.id
    db.state(app).engine.dispose()

    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.downgrade(config, f"{REVISION}-1")
    command.upgrade(config, "head")

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            raised_on, decided_on = connection.execute(
                sa.text("SELECT raised_on, decided_on FROM safeguarding_concerns WHERE id = :id"),
                {"id": concern_id},
            ).one()
            concluded_at = connection.execute(
                sa.select(Enquiry.__table__.c.concluded_at).where(
                    Enquiry.__table__.c.id == enquiry_id
                )
            ).scalar_one()
    finally:
        engine.dispose()
    assert str(raised_on) == "2026-07-01" and str(decided_on) == "2026-07-03"
    assert concluded_at == CLOSED_AT
