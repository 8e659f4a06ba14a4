"""The statutory returns read their rows from a real streaming replica, and write their
audit rows to the primary (CAREMAP_REPLICA_URL; caremap/returns/operations.py).

The proof is in the statements each engine ran while a return was produced (the
standby read the concerns and the referrals, the primary did not), and in the lag: with
WAL replay paused, the audit row of the return is on the primary and not yet on the
standby. Runs in the PostgreSQL pass, as tests/replica/test_streaming_replica.py does.
"""

from __future__ import annotations

import pytest

from caremap.core.extensions import db
from tests.conftest import PASSWORD, PG_URL
from tests.replica.clusters import run_on, statements_seen

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: runs in the PostgreSQL pass")


def _signed_in(app, role: str):
    client = app.test_client()
    response = client.post("/sign-in", data={"email": f"{role}@test.example", "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def _audited(url: str, action: str) -> int:
    return run_on(url, "SELECT count(*) FROM audit_events WHERE action = :a", a=action)[0][0]


@pytest.mark.parametrize(
    ("role", "path", "action", "table"),
    [
        (
            "safeguarding_lead",
            "/returns/sac?year=2025-26",
            "returns.sac.view",
            "FROM safeguarding_concerns",
        ),
        (
            "safeguarding_lead",
            "/returns/sac/file?year=2025-26&format=csv",
            "returns.sac.produce",
            "FROM safeguarding_concerns",
        ),
        ("manager", "/returns/cld/file?quarter=2026-Q2", "returns.cld.produce", "FROM referrals"),
        ("manager", "/returns/cld?quarter=2026-Q2", "returns.cld.check", "FROM referrals"),
    ],
)
def test_a_return_is_read_on_the_standby_and_audited_on_the_primary(
    clusters, replicated, role, path, action, table
):
    primary_url = clusters.url(clusters.primary_port)
    replica_url = clusters.url(clusters.replica_port)
    client = _signed_in(replicated, role)
    clusters.wait_for_replay()
    before = _audited(primary_url, action)
    assert _audited(replica_url, action) == before

    run_on(replica_url, "SELECT pg_wal_replay_pause()")
    with replicated.app_context():
        primary_engine = db.engine
        replica_engine = db.replica_session_or_none().get_bind()
    on_primary, on_replica = [], []
    stop_primary = statements_seen(primary_engine, on_primary)
    stop_replica = statements_seen(replica_engine, on_replica)
    try:
        response = client.get(path)
        lagging = _audited(replica_url, action)
    finally:
        stop_primary()
        stop_replica()
        run_on(replica_url, "SELECT pg_wal_replay_resume()")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert lagging == before  # the standby, paused, has not seen the return's audit row
    assert any(table in s for s in on_replica), on_replica
    assert not any(table in s for s in on_primary), on_primary
    # the audit row went to the primary, not to the read-only standby
    assert any("INSERT INTO audit_events" in s for s in on_primary)
    assert not any("INSERT INTO audit_events" in s for s in on_replica)
    assert _audited(primary_url, action) == before + 1
    clusters.wait_for_replay()
    assert _audited(replica_url, action) == before + 1
