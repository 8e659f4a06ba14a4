"""The statutory returns at city scale: the CLD file and the SAC tables.

    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_returns \
    CAREMAP_BENCH_PEOPLE=450000 CAREMAP_BENCH_REUSE=1 python -m benchmarks.run returns

On a city made by `generate_city` (five years of history, long-term support included),
for the last complete quarter (CLD: its rolling 12 months) and financial year (SAC):

- made in process, as `caremap returns cld|sac` makes them: wall and CPU time, rows;
- the CLD data-quality check (every field of every row by the national rules);
- each beside its floor: the very statements the app ran, captured and replayed on a
  bare psycopg connection in the same run (what the database alone costs);
- the downloads a manager asks for, through gunicorn over a real socket on 127.0.0.1
  with the app's production statement limit: /returns/cld/file and
  /returns/sac/file?format=xlsx (goal: each under 30 s at 450,000 people).
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import io
import os
import secrets
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import sqlalchemy as sa

from benchmarks.bench_indicators import MANAGER, PASSWORD, _build, _Capture, _floor, _manager
from benchmarks.bench_throughput import serve, stop
from benchmarks.common import append_result, bench_people, bench_url, migrated_app

REPEATS = 2


def served_app():
    """What gunicorn serves: the benchmark's database, CSRF off (a plain form sign-in),
    and the app's own statement limit, as in production."""
    from caremap.app import create_app

    return create_app(
        {
            "ENV": "test",
            "DATABASE_URL": os.environ["CAREMAP_BENCH_SERVED_URL"],
            "SECRET_KEY": os.environ["CAREMAP_BENCH_SECRET"],
            "WTF_CSRF_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )


def _timed(work) -> dict:
    walls, cpus, out = [], [], None
    for _ in range(REPEATS):
        started, started_cpu = time.perf_counter(), time.process_time()
        out = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return {"seconds": round(min(walls), 2), "cpu_seconds": round(min(cpus), 2), "out": out}


def _cpu_seconds(master: int) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master}/task/{master}/children")
    total = 0
    for pid in children.read_text().split() if children.exists() else []:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def _downloads(port: int, paths: dict[str, str], master: int) -> dict:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    form = urllib.parse.urlencode({"email": MANAGER, "password": PASSWORD}).encode()
    opener.open(f"{base}/sign-in", data=form, timeout=60).read()
    out = {}
    for name, path in paths.items():
        walls, sizes, statuses = [], [], set()
        cpu_before = _cpu_seconds(master)
        for _ in range(REPEATS):
            started = time.perf_counter()
            try:
                with opener.open(base + path, timeout=120) as response:
                    sizes.append(len(response.read()))
                    statuses.add(response.status)
            except urllib.error.HTTPError as error:
                statuses.add(error.code)
            walls.append(time.perf_counter() - started)
        out[name] = {
            "seconds": round(min(walls), 2),
            "max_seconds": round(max(walls), 2),
            "server_cpu_seconds": round((_cpu_seconds(master) - cpu_before) / REPEATS, 2),
            "status": sorted(statuses),
            "bytes": max(sizes) if sizes else 0,
        }
    return out


def main() -> None:
    from caremap.core.extensions import db
    from caremap.indicators.periods import last_complete
    from caremap.returns import cld, files, quality, sac

    people = bench_people(450_000 if os.environ.get("CAREMAP_BENCH_DATABASE_URL") else 50_000)
    url, reuse = bench_url("returns", people)
    is_postgresql = sa.engine.make_url(url).get_backend_name() == "postgresql"
    app = migrated_app(url, WTF_CSRF_ENABLED=False, DATABASE_STATEMENT_TIMEOUT_MS=0)
    build_seconds = None if reuse else round(_build(app, people), 1)
    _manager(app)
    results: dict = {}

    with app.app_context():
        last = db.session.scalar(sa.text("SELECT max(started_on) FROM care_packages"))
        last = dt.date.fromisoformat(str(last)) if last else dt.date.today()
        quarter, year = last_complete("quarter", today=last), last_complete("year", today=last)
        results["quarter"], results["year"] = quarter.code, year.code

        def cld_file():
            out = io.StringIO()
            rows = files.write_cld(cld.event_rows(quarter), out)
            db.session.rollback()
            return {"rows": rows, "bytes": len(out.getvalue().encode("utf-8"))}

        def dq_check():
            checked = quality.check(cld.event_rows(quarter))
            db.session.rollback()
            return {"rows": checked.rows, "failed": checked.failed}

        def sac_tables():
            built = sac.build(year)
            workbook = files.sac_workbook(built)
            db.session.rollback()
            return {
                "concerns": built.count("SG1f", "concerns", "count"),
                "bytes": len(workbook),
                "problems": sac.checks(built),
            }

        for name, work in (("cld_file", cld_file), ("cld_check", dq_check), ("sac", sac_tables)):
            measured = _timed(work)
            results[name] = {**measured.pop("out"), **measured}
            if is_postgresql:
                with _Capture(db.engine) as seen:
                    work()
                results[name]["floor"] = _floor(url, seen.statements, repeats=1)

    paths = {
        "cld_download": f"/returns/cld/file?quarter={quarter.code}",
        "sac_download": f"/returns/sac/file?year={year.code}&format=xlsx",
    }
    env = {"CAREMAP_BENCH_SERVED_URL": url, "CAREMAP_BENCH_SECRET": secrets.token_hex(32)}
    with tempfile.TemporaryDirectory(prefix="caremap-returns-") as tmp:
        process, port = serve(
            "benchmarks.bench_returns:served_app()", "sync", env, Path(tmp) / "gunicorn.log"
        )
        try:
            results["pages"] = _downloads(port, paths, process.pid)
        finally:
            stop(process)

    append_result(
        "returns",
        url,
        people,
        results,
        build_seconds=build_seconds,
        load_average=[round(x, 2) for x in os.getloadavg()],
        served="gunicorn, 2 sync workers, 127.0.0.1",
    )
    print(
        f"returns, {people:,} people, CLD {quarter.code}, SAC {year.code}, load {os.getloadavg()}"
    )
    for name in ("cld_file", "cld_check", "sac"):
        figure = results[name]
        print(
            f"  {name}: {figure['seconds']} s (cpu {figure['cpu_seconds']} s),"
            f" floor {figure.get('floor', {}).get('p50_ms', '-')} ms;"
            f" { ({k: v for k, v in figure.items() if k not in ('floor',)}) }"
        )
    for name, page in results["pages"].items():
        print(f"  {name}: {page}")


if __name__ == "__main__":
    main()
