"""A key worker's caseload (200 people with flags) and a service's referral queue (1,000 open).

    python -m benchmarks.run pages
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench \
    CAREMAP_BENCH_REUSE=1 python -m benchmarks.run pages

The database is the one bench_record uses (benchmarks/shapes.py): a key worker leads the
care of 200 people (consent refused or given, polypharmacy, multiple-needs cohort, open
safeguarding concerns, key worker, open tasks), and the reablement service has 1,000
open referrals (routed or accepted), one person each. Each page is fetched REPEATS times
through the whole app (the Flask test client, signed in: session, queries, one audit
statement for every person listed, the template), and the caseload's JSON too.
Goal: p95 under 100 ms for both pages.
"""

from __future__ import annotations

import os

from benchmarks.common import append_result, summary_ms
from benchmarks.shapes import KEY_WORKER, RECEIVER, api_token, pages_database, sign_in, timed

REPEATS = 100


def main() -> None:
    from caremap.core.extensions import db

    app, url, shape, facts = pages_database()
    engine = db.state(app).engine
    kim = sign_in(app, KEY_WORKER)
    rhi = sign_in(app, RECEIVER)
    headers = {"Authorization": f"Bearer {api_token(app, KEY_WORKER)}"}
    with app.app_context():
        import sqlalchemy as sa

        from caremap.catalogue.models import Service
        from caremap.referrals.models import Referral
        from caremap.referrals.queries import QUEUE_STATUSES

        queue_open = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Referral)
            .join(Service, Service.id == Referral.service_id)
            .where(Service.code == shape["queue_service"], Referral.status.in_(QUEUE_STATUSES))
        )
    results = {}
    for name, client, path, extra in (
        ("caseload_page", kim, "/", None),
        ("caseload_json", kim, "/api/v1/me/caseload", headers),
        ("queue_page", rhi, f"/services/{shape['queue_service']}/queue", None),
    ):
        durations, extra_figures, codes = timed(
            client, path, repeats=REPEATS, headers=extra, engine=engine
        )
        assert codes == [200], (name, codes)
        results[name] = {**summary_ms(durations), **extra_figures}
        print(f"{name:14} {results[name]}", flush=True)
    record = append_result(
        "pages",
        url,
        facts["people"],
        results,
        caseload=len(shape["caseload_people"]),
        queue=queue_open,  # 1,000 of ours, and the synthetic city's own
        source=facts["source"],
        load_average=[round(x, 2) for x in os.getloadavg()],  # the machine is shared
        goal_p95_ms=100,
    )
    return record


if __name__ == "__main__":
    main()
