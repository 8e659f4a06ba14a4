"""The person record costs a fixed number of SQL statements, however long the history.

The history is written in bulk (benchmarks/shapes.py): referrals with routing decisions
and status changes, episodes, story versions, consent, carers, identity changes and
safeguarding concerns, by twenty different workers, across every service — so a lazy
load per actor, per service or per strand would show as a difference in the counts.
"""

from benchmarks.shapes import add_history, add_workers, reference_data
from caremap.core.extensions import db
from tests.careteam.conftest import user_id_of

# Statements for one GET of each, whatever the chronology's length (both backends), not
# counting the test's own SAVEPOINT and RELEASE, nor the API token's lookup (kept a few
# seconds per worker, so present or not by the clock: auth/token_cache.py): the page
# reads the signed-in user, the person, the access rule, writes the audit row, then the
# identity checks, story, consent, carers, referrals, long-term support, the chronology
# (one query per kind of entry) and the flags (one statement for every kind). The JSON
# (people/record_read.py): the person with the access rule, story and consent in force;
# the audit row; the flags; carers; identity checks (it was 8: the person, the access
# rule, story and consent each one).
RECORD_PAGE_STATEMENTS = 28
RECORD_JSON_STATEMENTS = 5


def _app_statements(statements: list[str]) -> int:
    return len(
        [
            s
            for s in statements
            if not s.startswith(("SAVEPOINT", "RELEASE")) and "FROM api_tokens" not in s
        ]
    )


def _history(app, person_id: int, events: int) -> None:
    with app.app_context():
        teams = reference_data()["teams"]
        add_history(person_id, events=events, users=add_workers(20, team_ids=teams), seed=events)
        db.session.commit()


def test_the_record_costs_the_same_queries_for_5_and_500_events(
    app, api, client, login_as, make_person, count_queries
):
    person_id = make_person(role="key_worker")  # "Record registered": the first entry
    login_as("key_worker")
    hub = api("key_worker")
    kim = user_id_of(app, "key_worker")
    # Kim leads the care, so access is decided by the first rule at 5 events and at 500
    # (the history's accepted referrals would otherwise decide it one query sooner).
    assert hub.post(f"/people/{person_id}/care-team/lead", json={"user_id": kim}).status_code == 201

    def counts() -> tuple[int, int, int]:
        with count_queries() as page:
            response = client.get(f"/people/{person_id}")
        assert response.status_code == 200
        with count_queries() as record:
            assert hub.get(f"/people/{person_id}").status_code == 200
        entries = hub.get(f"/people/{person_id}/chronology").json
        return _app_statements(page), _app_statements(record), len(entries)

    _history(app, person_id, 4)
    page_5, json_5, entries_5 = counts()
    _history(app, person_id, 495)
    page_500, json_500, entries_500 = counts()

    assert (entries_5, entries_500) == (5, 500)
    assert page_500 == page_5, f"record page: {page_5} statements at 5 events, {page_500} at 500"
    assert json_500 == json_5, f"record JSON: {json_5} statements at 5 events, {json_500} at 500"
    assert (page_5, json_5) == (RECORD_PAGE_STATEMENTS, RECORD_JSON_STATEMENTS)
