"""CAREMAP_REPLICA_URL against a real streaming replica built on this machine: indicator
reads go to the standby, writes and the audit go to the primary, and a replica that is
down leaves the figures on the primary.

The proof that a read came from the standby is the lag itself: with WAL replay paused,
a figure stored on the primary is not what the API answers until replay resumes.
Runs in the PostgreSQL pass (`make test-postgres`, and `make test-replica` alone); on CI
a machine without the PostgreSQL server programs fails it rather than skipping it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from caremap.core.extensions import db
from caremap.indicators.definitions import definition
from caremap.indicators.periods import parse_period
from caremap.indicators.stored import definition_key
from tests.conftest import PG_URL
from tests.replica.clusters import run_on, statements_seen

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: runs in the PostgreSQL pass")

PERIOD = "2024-25"  # closed, with no records in it: live, REF-NEW is 0


def _ref_new(client, app) -> float:
    response = client.get(
        f"/api/v1/indicators?period={PERIOD}",
        headers={"Authorization": f"Bearer {app.config['MANAGER_TOKEN']}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return next(i for i in response.json["indicators"] if i["code"] == "REF-NEW")["value"]


def test_figures_are_read_from_the_standby_and_writes_go_to_the_primary(clusters, replicated):
    app, client = replicated, replicated.test_client()
    primary_url = clusters.url(clusters.primary_port)
    replica_url = clusters.url(clusters.replica_port)
    clusters.wait_for_replay()
    assert run_on(replica_url, "SELECT pg_is_in_recovery()") == [(True,)]
    assert _ref_new(client, app) == 0

    # hold the standby where it is, then store a figure on the primary
    run_on(replica_url, "SELECT pg_wal_replay_pause()")
    period = parse_period(PERIOD)
    run_on(
        primary_url,
        "INSERT INTO indicator_figures (code, period, kind, period_start, period_end,"
        " filters_key, value, numerator, definition_key, computed_at)"
        " VALUES ('REF-NEW', :period, 'year', :start, :end, '', 4242, 4242, :key, now())",
        period=period.code,
        start=period.start,
        end=period.end,
        key=definition_key(definition("REF-NEW")),
    )

    with app.app_context():
        primary_engine = db.engine
        replica_engine = db.replica_session_or_none().get_bind()
    on_primary, on_replica = [], []
    stop_primary = statements_seen(primary_engine, on_primary)
    stop_replica = statements_seen(replica_engine, on_replica)
    try:
        assert _ref_new(client, app) == 0  # the standby has not replayed the figure
    finally:
        stop_primary()
        stop_replica()
    assert any("indicator_figures" in s for s in on_replica)
    assert any("FROM referrals" in s for s in on_replica)  # REF-NEW computed there
    assert not any("indicator_figures" in s or "FROM referrals" in s for s in on_primary)

    # a write in the same state lands on the primary, audit row and all
    made = client.post(
        "/api/v1/indicators/snapshots",
        json={"period": PERIOD, "label": "replica test"},
        headers={"Authorization": f"Bearer {app.config['MANAGER_TOKEN']}"},
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    snapshot_id = made.json["id"]
    count_snapshot = "SELECT count(*) FROM indicator_snapshots WHERE id = :id"
    count_audit = (
        "SELECT count(*) FROM audit_events WHERE action = 'indicators.snapshot'"
        " AND (changes->>'snapshot_id')::int = :id"
    )
    assert run_on(primary_url, count_snapshot, id=snapshot_id) == [(1,)]
    assert run_on(primary_url, count_audit, id=snapshot_id) == [(1,)]
    assert run_on(replica_url, count_snapshot, id=snapshot_id) == [(0,)]

    run_on(replica_url, "SELECT pg_wal_replay_resume()")
    clusters.wait_for_replay()
    assert run_on(replica_url, count_snapshot, id=snapshot_id) == [(1,)]
    # the snapshot (read on the primary) now answers for the period; live=true is stored
    # or computed on the standby, which has caught up with the figure
    response = client.get(
        f"/api/v1/indicators?period={PERIOD}&live=false",
        headers={"Authorization": f"Bearer {app.config['MANAGER_TOKEN']}"},
    )
    assert response.json["snapshot_id"] == snapshot_id
    with app.app_context(), db.reads_from_replica() as used:
        assert used is True
        stored = db.session.scalar(
            sa.text("SELECT value FROM indicator_figures WHERE code = 'REF-NEW' AND period = :p"),
            {"p": PERIOD},
        )
    assert stored == 4242


def test_the_standby_refuses_a_write_made_by_mistake_inside_the_block(replicated):
    with (
        replicated.app_context(),
        db.reads_from_replica(),
        pytest.raises(sa.exc.DBAPIError, match="read-only transaction"),
    ):
        db.session.execute(sa.text("DELETE FROM indicator_figures"))


def test_with_the_standby_down_the_figures_come_from_the_primary(clusters, replicated):
    client = replicated.test_client()
    clusters.stop("replica")
    with replicated.app_context():
        db.replica_session_or_none().get_bind().dispose()  # its pooled connections are dead
        with db.reads_from_replica() as used:
            assert used is False
            assert db.session.get_bind() is db.primary_session().get_bind()
    response = client.get(
        "/api/v1/indicators?period=2023-24",  # no snapshot, nothing stored: computed
        headers={"Authorization": f"Bearer {replicated.config['MANAGER_TOKEN']}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert next(i for i in response.json["indicators"] if i["code"] == "REF-NEW")["value"] == 0
