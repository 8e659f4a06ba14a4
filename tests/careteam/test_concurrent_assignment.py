"""Fifty concurrent lead assignments to one person leave exactly one active lead (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from caremap.careteam.models import CareTeamMember
from caremap.core.extensions import db
from tests.conftest import PASSWORD, PG_URL, fresh_database_url, load_base_data, make_app, migrate

ASSIGNMENTS = 50


@pytest.mark.skipif(not PG_URL, reason="row locks and real concurrency: PostgreSQL only")
def test_fifty_concurrent_assignments_leave_one_active_lead():
    from caremap.auth.operations import create_api_token, create_user
    from caremap.people import operations
    from caremap.people.schemas import RegisterPersonArgs

    url = fresh_database_url("assign")
    migrate(url)
    app = make_app(url)
    load_base_data(app)
    with app.app_context():
        workers = [
            create_user(
                actor=None,
                email=f"kw{i}@test.example",
                full_name=f"Worker {i}",
                role="key_worker",
                team="complex-needs-hub",
                password=PASSWORD,
            )
            for i in range(5)
        ]
        from tests.conftest import user

        person = operations.register_person(
            actor=user("key_worker"),
            details=RegisterPersonArgs().load(
                {
                    "given_name": "Race",
                    "family_name": "Lead",
                    "date_of_birth": "1970-01-01",
                    "confirm_no_duplicate": True,
                }
            ),
        )
        _, secret = create_api_token(user=user("key_worker"), name="race")
        db.session.commit()
        person_id, worker_ids = person.id, [w.id for w in workers]
    barrier = threading.Barrier(ASSIGNMENTS)

    def assign(i: int) -> int:
        client = app.test_client()
        barrier.wait()
        return client.post(
            f"/api/v1/people/{person_id}/care-team/lead",
            json={"user_id": worker_ids[i % len(worker_ids)], "reason": f"assignment {i}"},
            headers={"Authorization": f"Bearer {secret}"},
        ).status_code

    with ThreadPoolExecutor(max_workers=ASSIGNMENTS) as pool:
        statuses = list(pool.map(assign, range(ASSIGNMENTS)))
    assert set(statuses) <= {201, 409, 422}, statuses
    assert statuses.count(201) >= 1
    with app.app_context():
        active = db.session.scalars(
            sa.select(CareTeamMember).where(
                CareTeamMember.person_id == person_id,
                CareTeamMember.is_lead.is_(True),
                CareTeamMember.ended_at.is_(None),
            )
        ).all()
        assert len(active) == 1
        history = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CareTeamMember)
            .where(CareTeamMember.person_id == person_id)
        )
        assert history == statuses.count(201)
        db.engine.dispose()
