"""The indicators at city scale: live figures, stored figures, snapshots, the dashboard.

    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/caremap_bench_indicators \
    CAREMAP_BENCH_PEOPLE=450000 CAREMAP_BENCH_REUSE=1 python -m benchmarks.run indicators

On a city made by `generate_city` (five years of history), for the last complete
financial year, each figure beside its floor (the very statements the app ran, captured
and replayed on a bare psycopg connection in the same run) and with CPU time as well as
wall time, since the machine is shared:

- every indicator computed live (goal: under 1.5 s at 450,000), and a month;
- `close-periods` (storing every closed month, quarter and year), when the code has it;
- taking a snapshot (figures plus the people behind each; goal: under 5 s);
- the manager's dashboard page without a snapshot, and with monthly trends, through
  gunicorn over a real socket on 127.0.0.1 (goal: p95 under 200 ms for both).

The benchmark's own snapshots are deleted afterwards, so the dashboard is measured
without one on every run.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import os
import re
import secrets
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from benchmarks.bench_throughput import serve, stop
from benchmarks.common import append_result, bench_people, bench_url, migrated_app, summary_ms
from caremap.core.maintenance import vacuum_analyze

DASHBOARD_REPEATS = 30
SLOW_REPEATS = 3
COMPUTE_REPEATS = 3
FLOOR_REPEATS = 3
MANAGER = "figures.reader@caremap.example"
PASSWORD = "harbour-tide-7741-granite"


def _build(app, people: int) -> float:
    from caremap.core.extensions import db
    from caremap.synthetic import generate_city

    with app.app_context():
        started = time.perf_counter()
        generate_city(people=people, years=5, seed=42)
        db.session.commit()
        vacuum_analyze(db.engine)
        return time.perf_counter() - started


def _manager(app) -> int:
    from caremap.auth.models import User
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    with app.app_context():
        found = db.session.scalar(sa.select(User).where(User.email == MANAGER))
        if found is None:
            found = create_user(
                actor=None,
                email=MANAGER,
                full_name="Figures Reader",
                role="manager",
                team="performance-commissioning",
                password=PASSWORD,
            )
            db.session.commit()
        return found.id


def served_app():
    """What gunicorn serves: the app on the benchmark's database, CSRF off (the
    benchmark signs in with a plain form post), no statement limit (the 'before' code
    computed the dashboard for longer than a request may take)."""
    from caremap.app import create_app

    return create_app(
        {
            "ENV": "test",
            "DATABASE_URL": os.environ["CAREMAP_BENCH_SERVED_URL"],
            "SECRET_KEY": os.environ["CAREMAP_BENCH_SECRET"],
            "WTF_CSRF_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "DATABASE_STATEMENT_TIMEOUT_MS": 0,
        }
    )


class _Capture:
    """The statements a block of app code sends, to replay them on bare psycopg."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.statements: list[tuple[str, object]] = []

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not executemany:
            self.statements.append((statement, parameters))

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._seen)


def _floor(url: str, statements: list[tuple[str, object]], repeats: int = FLOOR_REPEATS) -> dict:
    """The captured statements replayed on one bare psycopg connection, in a transaction
    rolled back each time (nothing kept), committed-style settings as the app's."""
    import psycopg

    dsn = sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)
    walls, cpus = [], []
    with psycopg.connect(dsn) as conn:
        for _ in range(repeats + 1):  # the first warms the plans and caches, as the app's did
            started, started_cpu = time.perf_counter(), time.process_time()
            with conn.cursor() as cur:
                for statement, parameters in statements:
                    cur.execute(statement, parameters or None)
                    if cur.description is not None:
                        cur.fetchall()
            conn.rollback()
            walls.append((time.perf_counter() - started) * 1000)
            cpus.append((time.process_time() - started_cpu) * 1000)
    return {
        **summary_ms(walls[1:]),
        "cpu_p50_ms": round(sorted(cpus[1:])[len(cpus[1:]) // 2], 1),
        "statements": len(statements),
    }


def _timed(work, repeats: int) -> dict:
    walls, cpus = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - started_cpu) * 1000)
    return {**summary_ms(walls), "cpu_p50_ms": round(sorted(cpus)[len(cpus) // 2], 1)}


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU of these processes so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _pages(port: int, paths: dict[str, str], master: int) -> dict:
    """Sign in as the manager, then GET each path DASHBOARD_REPEATS times over a socket."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    form = urllib.parse.urlencode({"email": MANAGER, "password": PASSWORD}).encode()
    opener.open(f"{base}/sign-in", data=form, timeout=60).read()
    out = {}
    for name, path in paths.items():
        opener.open(base + path, timeout=600).read()  # warm: the worker's first request
        started = time.perf_counter()
        opener.open(base + path, timeout=600).read()  # a page whose figures are kept is fast now
        # a page taking seconds (the code before stored figures) is asked only a few times
        repeats = DASHBOARD_REPEATS if time.perf_counter() - started < 2 else SLOW_REPEATS
        walls, statuses = [], set()
        cpu_before = _cpu_seconds(_workers(master))
        for _ in range(repeats):
            started = time.perf_counter()
            with opener.open(base + path, timeout=600) as response:
                body = response.read()
                statuses.add(response.status)
            walls.append((time.perf_counter() - started) * 1000)
        cpu = (_cpu_seconds(_workers(master)) - cpu_before) * 1000 / repeats
        tiles = len(re.findall(rb'class="caremap-tile"', body))
        out[name] = {
            **summary_ms(walls),
            "server_cpu_ms_per_request": round(cpu, 1),
            "status": sorted(statuses),
            "bytes": len(body),
            "tiles": tiles,
        }
    return out


def _page_statements(app, path: str) -> list[tuple[str, object]]:
    """The statements one request for `path` runs, for its floor."""
    from caremap.core.extensions import db

    client = app.test_client()
    client.post("/sign-in", data={"email": MANAGER, "password": PASSWORD})
    with app.app_context():
        engine = db.engine
    with _Capture(engine) as seen:
        client.get(path)
    return seen.statements


def _dashboard_paths(year) -> dict[str, str]:
    from caremap.indicators.periods import period_containing

    open_year = period_containing(dt.date.today(), "year")
    return {
        "dashboard": f"/indicators?period={year.code}",
        "dashboard_monthly_trends": f"/indicators?period={year.code}&trend=month",
        # the open year: computed live, then kept for a minute (caremap/indicators/recent.py)
        "dashboard_open_year_monthly_trends": f"/indicators?period={open_year.code}&trend=month",
    }


def _served_pages(url: str, paths: dict[str, str]) -> dict:
    """The pages through gunicorn (2 sync workers) on a free port, signed in as the manager."""
    secret = secrets.token_hex(32)
    env = {"CAREMAP_BENCH_SERVED_URL": url, "CAREMAP_BENCH_SECRET": secret}
    with tempfile.TemporaryDirectory(prefix="caremap-indicators-") as tmp:
        process, port = serve(
            "benchmarks.bench_indicators:served_app()", "sync", env, Path(tmp) / "gunicorn.log"
        )
        try:
            return _pages(port, paths, process.pid)
        finally:
            stop(process)


def pages_only(url: str) -> None:
    """Only the dashboard pages, on a database as it is (the demo's: `caremap seed demo`,
    with or without `caremap indicators close-periods` run on it), for issue 18's "under
    1 s on the demo database":

        CAREMAP_BENCH_PAGES_ONLY=sqlite:////path/to/demo.sqlite3 python -m benchmarks.run indicators
    """
    from caremap.core.extensions import db
    from caremap.indicators.models import IndicatorFigure
    from caremap.indicators.periods import last_complete

    app = migrated_app(url, WTF_CSRF_ENABLED=False, DATABASE_STATEMENT_TIMEOUT_MS=0)
    _manager(app)
    with app.app_context():
        year = last_complete("year", today=dt.date.today())
        stored = db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorFigure))
        people = db.session.scalar(sa.text("SELECT count(*) FROM people"))
    pages = _served_pages(url, _dashboard_paths(year))
    append_result(
        "indicators_pages",
        url,
        people,
        {"period": year.code, "stored_figures": stored, "pages": pages},
        load_average=[round(x, 2) for x in os.getloadavg()],
        served="gunicorn, 2 sync workers, 127.0.0.1",
    )
    print(f"indicators pages, {people:,} people, {year.code}, {stored:,} stored figures")
    for name, page in pages.items():
        print(
            f"  {name}: p50 {page['p50_ms']} p95 {page['p95_ms']} ms, server cpu"
            f" {page['server_cpu_ms_per_request']} ms, status {page['status']}"
        )
    print(f"  load {os.getloadavg()}")


def main() -> None:
    if os.environ.get("CAREMAP_BENCH_PAGES_ONLY"):
        pages_only(os.environ["CAREMAP_BENCH_PAGES_ONLY"])
        return
    from caremap.core.extensions import db
    from caremap.indicators.compute import compute_indicators
    from caremap.indicators.models import IndicatorSnapshot
    from caremap.indicators.periods import last_complete, parse_period
    from caremap.indicators.snapshots import take_snapshot

    try:  # the stored figures of closed periods (absent from the code measured 'before')
        from caremap.indicators import stored
    except ImportError:
        stored = None

    people = bench_people(450_000 if os.environ.get("CAREMAP_BENCH_DATABASE_URL") else 50_000)
    url, reuse = bench_url("indicators", people)
    is_postgresql = sa.engine.make_url(url).get_backend_name() == "postgresql"
    app = migrated_app(url, WTF_CSRF_ENABLED=False, DATABASE_STATEMENT_TIMEOUT_MS=0)
    build_seconds = None if reuse else round(_build(app, people), 1)
    _manager(app)
    results: dict = {}

    with app.app_context():
        end_on = db.session.scalar(sa.text("SELECT max(started_on) FROM episodes"))
        end_on = dt.date.fromisoformat(str(end_on)) if end_on else dt.date.today()
        year = last_complete("year", today=end_on)
        month = parse_period(f"{year.end:%Y-%m}")
        results["period"] = year.code

        def compute(period):
            def work():
                compute_indicators(period=period, today=end_on)
                db.session.rollback()

            return work

        compute(year)()  # warm the caches once, as a server that has been up would be
        results["live_year"] = _timed(compute(year), COMPUTE_REPEATS)
        results["live_month"] = _timed(compute(month), COMPUTE_REPEATS)
        if is_postgresql:
            with _Capture(db.engine) as seen:
                compute_indicators(period=year, today=end_on)
                db.session.rollback()
            results["live_year"]["floor"] = _floor(url, seen.statements)

        if stored is not None:
            started, started_cpu = time.perf_counter(), time.process_time()
            work = stored.close_periods(today=end_on, commit=True)
            results["close_periods"] = {
                "seconds": round(time.perf_counter() - started, 1),
                "cpu_seconds": round(time.process_time() - started_cpu, 1),
                "periods": len(work.work),
                "figures": work.figures,
            }

        def snapshot():
            take_snapshot(actor=None, period=year, label="benchmark", today=end_on)
            db.session.rollback()

        results["snapshot"] = _timed(snapshot, 2)
        if is_postgresql:
            with _Capture(db.engine) as seen:
                snapshot()
            results["snapshot"]["floor"] = _floor(url, seen.statements, repeats=1)
        ours = IndicatorSnapshot.label == "benchmark"
        db.session.execute(sa.delete(IndicatorSnapshot).where(ours))
        db.session.commit()

    paths = _dashboard_paths(year)
    results["pages"] = _served_pages(url, paths)
    if is_postgresql:
        for name, path in paths.items():
            results["pages"][name]["floor"] = _floor(url, _page_statements(app, path))

    append_result(
        "indicators",
        url,
        people,
        results,
        build_seconds=build_seconds,
        load_average=[round(x, 2) for x in os.getloadavg()],
        served="gunicorn, 2 sync workers, 127.0.0.1",
    )
    print(f"indicators, {people:,} people, {year.code}, load {os.getloadavg()}")
    for name in ("live_year", "live_month", "snapshot"):
        figure = results[name]
        floor = figure.get("floor", {})
        print(
            f"  {name}: p50 {figure['p50_ms']:.0f} ms (cpu {figure['cpu_p50_ms']:.0f}),"
            f" floor {floor.get('p50_ms', '-')} ms"
        )
    if "close_periods" in results:
        print(f"  close-periods: {results['close_periods']}")
    for name, page in results["pages"].items():
        print(
            f"  {name}: p50 {page['p50_ms']} p95 {page['p95_ms']} ms, server cpu"
            f" {page['server_cpu_ms_per_request']} ms, status {page['status']},"
            f" floor {page.get('floor', {}).get('p50_ms', '-')} ms"
        )


if __name__ == "__main__":
    main()
