"""The full indicator set for one financial year on a synthetic city, and the dashboard.

    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench \
    CAREMAP_BENCH_PEOPLE=450000 CAREMAP_BENCH_REUSE=1 python -m benchmarks.run indicators

Measures, on a city made by `generate_city` (five years of history):
- computing every indicator for the last complete financial year (goal: under 5 s at
  450,000 on PostgreSQL), each indicator's own time, and a month for comparison;
- taking a snapshot (figures plus the people behind each);
- the dashboard page reading the stored snapshot, through HTTP (goal: p95 under 200 ms).
"""

from __future__ import annotations

import datetime as dt
import os
import time

import sqlalchemy as sa

from benchmarks.common import append_result, bench_people, bench_url, migrated_app, summary_ms

DASHBOARD_REPEATS = 50
COMPUTE_REPEATS = 3


def _build(app, people: int) -> float:
    from caremap.core.extensions import db
    from caremap.synthetic import generate_city

    with app.app_context():
        started = time.perf_counter()
        generate_city(people=people, years=5, seed=42)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        return time.perf_counter() - started


def _manager(app) -> int:
    from caremap.auth.models import User
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    with app.app_context():
        email = "bench.manager@caremap.example"
        found = db.session.scalar(sa.select(User).where(User.email == email))
        if found is None:
            found = create_user(
                actor=None,
                email=email,
                full_name="Bench Manager",
                role="manager",
                team="performance-commissioning",
                password="benchmark-password",
            )
            db.session.commit()
        return found.id


def main() -> None:
    from caremap.core.extensions import db
    from caremap.indicators.compute import compute_indicators
    from caremap.indicators.definitions import definitions
    from caremap.indicators.periods import last_complete, parse_period
    from caremap.indicators.snapshots import take_snapshot

    people = bench_people(450_000 if os.environ.get("CAREMAP_BENCH_DATABASE_URL") else 50_000)
    url, reuse = bench_url("indicators", people)
    app = migrated_app(url, WTF_CSRF_ENABLED=False)
    build_seconds = None if reuse else round(_build(app, people), 1)
    _manager(app)

    with app.app_context():
        end_on = db.session.scalar(sa.text("SELECT max(started_on) FROM episodes"))
        end_on = dt.date.fromisoformat(str(end_on)) if end_on else dt.date.today()
        year = last_complete("year", today=end_on)
        month = parse_period(f"{year.end:%Y-%m}")

        def timed(period, codes=None) -> float:
            started = time.perf_counter()
            compute_indicators(period=period, codes=codes, today=end_on)
            db.session.rollback()
            return (time.perf_counter() - started) * 1000

        timed(year)  # warm the caches once, as a server that has been up would be
        full_year = [timed(year) for _ in range(COMPUTE_REPEATS)]
        one_month = [timed(month) for _ in range(COMPUTE_REPEATS)]
        each = {d.code: round(timed(year, [d.code]), 1) for d in definitions()}
        results_now = {
            r.code: {"value": r.value, "numerator": r.numerator, "denominator": r.denominator}
            for r in compute_indicators(period=year, today=end_on)
        }
        started = time.perf_counter()
        take_snapshot(actor=None, period=year, label="benchmark", today=end_on)
        db.session.commit()
        snapshot_ms = (time.perf_counter() - started) * 1000

    client = app.test_client()
    signed_in = client.post(
        "/sign-in",
        data={"email": "bench.manager@caremap.example", "password": "benchmark-password"},
    )
    assert signed_in.status_code == 302, signed_in.status_code
    dashboard = []
    status = None
    for _ in range(DASHBOARD_REPEATS):
        started = time.perf_counter()
        response = client.get("/indicators", query_string={"period": year.code})
        dashboard.append((time.perf_counter() - started) * 1000)
        status = response.status_code

    results = {
        "period": year.code,
        "full_year": summary_ms(full_year),
        "one_month": summary_ms(one_month),
        "snapshot_ms": round(snapshot_ms, 1),
        "dashboard_from_snapshot": {**summary_ms(dashboard), "status": status},
        "slowest_indicators_ms": dict(sorted(each.items(), key=lambda kv: -kv[1])[:8]),
        "figures": results_now,
    }
    append_result("indicators", url, people, results, build_seconds=build_seconds)
    print(f"indicators, {people:,} people on {sa.engine.make_url(url).get_backend_name()}")
    print(f"  full set for {year.code}: p50 {results['full_year']['p50_ms']:.0f} ms")
    print(f"  one month ({month.code}): p50 {results['one_month']['p50_ms']:.0f} ms")
    print(f"  snapshot: {snapshot_ms:.0f} ms")
    print(
        f"  dashboard from the snapshot: p50 {results['dashboard_from_snapshot']['p50_ms']} ms,"
        f" p95 {results['dashboard_from_snapshot']['p95_ms']} ms (HTTP {status})"
    )
    print(f"  slowest: {results['slowest_indicators_ms']}")


if __name__ == "__main__":
    main()
