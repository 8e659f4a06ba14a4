"""The person record page for a person with 500 chronology events, and its JSON.

    python -m benchmarks.run record
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_pages \
    CAREMAP_BENCH_REUSE=1 python -m benchmarks.run record

The database (benchmarks/shapes.py, shared with bench_pages and bench_throughput) holds
the city in the background (CAREMAP_BENCH_PEOPLE people: the synthetic city when it is
installed, else people only) and one person whose chronology has 500 entries: referrals
with routing decisions and status changes, episodes, story versions, consent decisions,
carers, identity changes and safeguarding concerns, by 40 workers across every service.
A key worker leading their care opens the page (HTTP via the Flask test client: session,
access rule, audit row, every query, the template) REPEATS times; the JSON record is
fetched with a personal API token the same way. Goal: record page p95 under 50 ms, and
the same number of statements per request at 5 events and at 500 (the query-budget test).
"""

from __future__ import annotations

import os

import sqlalchemy as sa

from benchmarks.common import append_result, summary_ms
from benchmarks.shapes import KEY_WORKER, api_token, pages_database, sign_in, timed

REPEATS = 200


def served_record_json(app, url: str, shape: dict) -> dict:
    """The record JSON for each of the key worker's 200 people through gunicorn, beside
    the same requests' SQL on bare psycopg; the workers' CPU per request against it."""
    from benchmarks import served as through

    token = api_token(app, KEY_WORKER)
    paths = [f"/api/v1/people/{pid}" for pid in shape["caseload_people"]]
    with through.serve(url) as server:
        through.get_all(server, paths[:20], token)  # warm up: imports, pools, prepared statements
        served, _ = through.get_all(server, paths, token)
        refused = through.refused_without_a_token(server)
    capturing = through.capturing_app(url)
    captured = [through.capture_sql(capturing, path, token) for path in paths]
    bare = through.floor(url, captured)
    return {
        **through.compare(served, bare),
        **through.best_ratios(refused, bare.summary()),
        "refused_without_a_token": refused,
        "statements": round(sum(len(c) for c in captured) / len(captured), 1),
    }


def young_person_flags(app) -> dict | None:
    """The flags of a young person known to services (the transition flag's people), in
    process: the record page and the record JSON of every young person pay them. None
    when the city has no such person (people only, no synthetic city)."""
    import time

    from dateutil.relativedelta import relativedelta

    from caremap.core import clock
    from caremap.core.extensions import db
    from caremap.flags import flags_for_many
    from caremap.people.models import Person
    from caremap.referrals.models import Referral
    from caremap.transitions.operations import ADULT_AGE, start_age

    with app.test_request_context():
        today = clock.today()
        young = db.session.scalar(
            sa.select(Person.id)
            .where(
                Person.date_of_birth <= today - start_age(),
                Person.date_of_birth > today - relativedelta(years=ADULT_AGE),
                sa.exists().where(Referral.person_id == Person.id),
            )
            .limit(1)
        )
        if young is None:
            return None
        person = db.session.get(Person, young)
        flags_for_many([person])  # warm: the statement built and prepared
        durations = []
        for _ in range(50):
            started = time.perf_counter()
            flags = flags_for_many([person])[young]
            durations.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return {**summary_ms(durations), "flags": sorted(flag.code for flag in flags)}


def main() -> None:
    from caremap.core.extensions import db

    app, url, shape, facts = pages_database()
    person = shape["record_person"]
    engine = db.state(app).engine
    client = sign_in(app, KEY_WORKER)
    headers = {"Authorization": f"Bearer {api_token(app, KEY_WORKER)}"}
    with app.app_context():
        from caremap.people.chronology import chronology
        from caremap.people.models import Person

        entries = len(chronology(db.session.get(Person, person)))
    results = {}
    for name, path, extra in (
        ("record_page", f"/people/{person}", None),
        ("record_json", f"/api/v1/people/{person}", headers),
        ("chronology_json", f"/api/v1/people/{person}/chronology", headers),
    ):
        durations, extra_figures, codes = timed(
            client, path, repeats=REPEATS, headers=extra, engine=engine
        )
        assert codes == [200], (name, codes)
        results[name] = {**summary_ms(durations), **extra_figures}
        print(f"{name:16} {results[name]}", flush=True)
    young = young_person_flags(app)
    if young is not None:
        results["young_person_flags"] = young
        print(f"young_person_flags {young}", flush=True)
    if sa.engine.make_url(url).get_backend_name() == "postgresql":
        results["record_json_served"] = served_record_json(app, url, shape)
        print(f"record_json_served {results['record_json_served']}", flush=True)
    record = append_result(
        "record",
        url,
        facts["people"],
        results,
        chronology_entries=entries,
        source=facts["source"],
        load_average=[round(x, 2) for x in os.getloadavg()],  # the machine is shared
        goal_p95_ms=50,
    )
    print(f"record page p95 {results['record_page']['p95_ms']} ms (goal 50) at {entries} events")
    return record


if __name__ == "__main__":
    main()
