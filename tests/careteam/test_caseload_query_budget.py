"""The caseload page (home) costs the same statements for 5 people as for 60, each with
flags (consent, polypharmacy, cohort, safeguarding, key worker) and open tasks."""

import re

from benchmarks.shapes import add_caseload
from caremap.core.extensions import db
from tests.conftest import user


def _add(app, n: int, seed: int) -> None:
    with app.app_context():
        kim = user("key_worker")
        add_caseload(kim.id, people=n, team_id=kim.team_id, seed=seed)
        db.session.commit()


def test_the_caseload_page_costs_the_same_queries_for_5_and_60_people(
    app, client, login_as, count_queries
):
    login_as("key_worker")

    def page() -> tuple[int, int, str]:
        with count_queries() as statements:
            response = client.get("/")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        rows = len(
            re.findall(r'<td class="govuk-table__cell"><a class="govuk-link" href="/people/', html)
        )
        return len(statements), rows, html

    _add(app, 5, seed=1)
    small, small_rows, _ = page()
    _add(app, 55, seed=2)
    large, large_rows, html = page()
    assert (small_rows, large_rows) == (5, 60)
    assert "Key worker: Test Key Worker" in html and "olypharmacy" in html
    assert "Multiple needs: core" in html and "Safeguarding: open" in html
    assert large == small, f"{small} statements for 5 people, {large} for 60"
