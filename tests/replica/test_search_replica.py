"""Person search reads from the streaming replica when one is configured; the audit row
of the search is written on the primary.

The proof is the lag, as for the indicators (test_streaming_replica.py): with the
standby's WAL replay paused, a person renamed on the primary is still found under the
old name and not under the new one, until replay resumes.
"""

from __future__ import annotations

import pytest

from caremap.core.extensions import db
from tests.conftest import PG_URL
from tests.replica.clusters import run_on, statements_seen

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: runs in the PostgreSQL pass")

SEARCH_AUDIT = "SELECT count(*) FROM audit_events WHERE action = 'people.search'"


def _found(client, app, q: str) -> list[int]:
    response = client.get(
        "/api/v1/people",
        query_string={"q": q},
        headers={"Authorization": f"Bearer {app.config['MANAGER_TOKEN']}"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return [p["id"] for p in response.json]


def _register(primary_url: str) -> int:
    [(team_id,)] = run_on(primary_url, "SELECT id FROM teams ORDER BY id LIMIT 1")
    [(person_id,)] = run_on(
        primary_url,
        "INSERT INTO people (local_ref, given_name, family_name, date_of_birth, sex,"
        " no_fixed_abode, interpreter_needed, search_name, registered_by_team_id, status,"
        " created_at, updated_at, version)"
        " VALUES ('RPL0000001', 'Morwenna', 'Penwarden', '1950-03-27', 'female', false,"
        " false, 'morwenna penwarden', :team, 'live', now(), now(), 1) RETURNING id",
        team=team_id,
    )
    return person_id


def test_a_search_reads_from_the_standby_and_its_audit_goes_to_the_primary(
    clusters,
    replicated,
):
    app, client = replicated, replicated.test_client()
    primary_url = clusters.url(clusters.primary_port)
    replica_url = clusters.url(clusters.replica_port)
    person = _register(primary_url)
    clusters.wait_for_replay()
    assert _found(client, app, "Penwarden") == [person]

    # hold the standby where it is, then rename the person on the primary
    run_on(replica_url, "SELECT pg_wal_replay_pause()")
    try:
        run_on(
            primary_url,
            "UPDATE people SET family_name = 'Trevaskis', search_name = 'morwenna trevaskis',"
            " version = version + 1 WHERE id = :id",
            id=person,
        )
        audits_before = run_on(primary_url, SEARCH_AUDIT)
        with app.app_context():
            primary_engine = db.engine
            replica_engine = db.replica_session_or_none().get_bind()
        on_primary, on_replica = [], []
        stop_primary = statements_seen(primary_engine, on_primary)
        stop_replica = statements_seen(replica_engine, on_replica)
        try:
            assert _found(client, app, "Trevaskis") == []  # not replayed yet
            assert _found(client, app, "Penwarden") == [person]  # as the standby has it
            assert _found(client, app, "Morwena Penwarden") == [person]  # typo too
        finally:
            stop_primary()
            stop_replica()
        assert any("person_name_words" in s for s in on_replica)
        assert any("FROM people" in s for s in on_replica)
        assert not any("person_name" in s or "name_words" in s for s in on_primary)
        assert any("INSERT INTO audit_events" in s for s in on_primary)
        assert not any("audit_events" in s for s in on_replica)
        (after,) = run_on(primary_url, SEARCH_AUDIT)
        assert after[0] == audits_before[0][0] + 3
    finally:
        run_on(replica_url, "SELECT pg_wal_replay_resume()")
    clusters.wait_for_replay()
    assert _found(client, app, "Trevaskis") == [person]
    assert _found(client, app, "Penwarden") == []
