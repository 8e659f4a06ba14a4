"""What every benchmark shares: a fresh database, an app on it, percentiles, the results file.

Each benchmark is a module `benchmarks/bench_<name>.py` with `main()`; `make bench` runs
them all (`python -m benchmarks.run`), or some (`python -m benchmarks.run search record`).
Results are appended, one JSON line per run, to `benchmarks/results/<name>.jsonl` with the
machine, date, commit, backend and data size, so figures from different days compare.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import platform
import secrets
import subprocess
from pathlib import Path
from typing import Any

import sqlalchemy as sa

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def bench_people(default: int = 50_000) -> int:
    return int(os.environ.get("CAREMAP_BENCH_PEOPLE", str(default)))


def fresh_url(name: str = "bench") -> str:
    """An empty database: CAREMAP_BENCH_DATABASE_URL (dropped and made anew), else SQLite."""
    url = os.environ.get("CAREMAP_BENCH_DATABASE_URL")
    if not url:
        path = Path("/tmp") / f"caremap-{name}-{os.getpid()}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    recreate_database(url)
    return url


def recreate_database(url: str) -> None:
    """Drop a PostgreSQL database (whoever is connected) and make it anew, empty."""
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def migrated_app(url: str, **overrides: Any):
    """The app on an upgraded database with the reference data loaded."""
    from alembic import command

    from caremap.app import create_app
    from caremap.cli import alembic_config
    from caremap.core.extensions import db
    from caremap.seed import seed_reference

    logging.getLogger("caremap").setLevel(logging.WARNING)  # one line per request is noise
    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    app = create_app(
        {
            "ENV": "test",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": "WARNING",
            **overrides,
        }
    )
    with app.app_context():
        seed_reference()
        db.session.commit()
    return app


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "max_ms": round(max(values), 2),
        "n": len(values),
    }


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def append_result(benchmark: str, url: str, people: int, results: dict[str, Any], **extra: Any):
    """Append one run to results/<benchmark>.jsonl and return the record."""
    # CAREMAP_BENCH_COMMIT names the commit when running from an exported tree (git
    # archive: a clean copy of HEAD, away from others' uncommitted work).
    commit = os.environ.get("CAREMAP_BENCH_COMMIT") or _git("rev-parse", "--short", "HEAD") + (
        "+dirty" if _git("status", "--porcelain", "--untracked-files=no") else ""
    )
    record = {
        "benchmark": benchmark,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "python": platform.python_version(),
        "backend": sa.engine.make_url(url).get_backend_name(),
        "people": people,
        **extra,
        "results": results,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with (RESULTS_DIR / f"{benchmark}.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    return record


def reuse_requested() -> bool:
    return os.environ.get("CAREMAP_BENCH_REUSE", "") not in ("", "0", "false", "no")


def bench_url(name: str, people: int) -> tuple[str, bool]:
    """The database to benchmark on, and whether it already holds people to reuse.

    With CAREMAP_BENCH_REUSE=1 a database left by an earlier run is kept when it has
    people in it (PostgreSQL: the CAREMAP_BENCH_DATABASE_URL database; SQLite: a file
    named after the benchmark and size in /tmp); otherwise it is made anew (fresh_url).
    Migrations still run on a reused database, so new indexes are added to it.
    """
    url = os.environ.get("CAREMAP_BENCH_DATABASE_URL")
    if not reuse_requested():
        return fresh_url(name), False
    if not url:
        url = f"sqlite:////tmp/caremap-{name}-{people}.sqlite3"
    return url, _has_people(url)


def _has_people(url: str) -> bool:
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or not Path(parsed.database).exists():
            return False
    else:
        admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                exists = conn.scalar(
                    sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                    {"name": parsed.database},
                )
            if not exists:
                with admin.connect() as conn:
                    conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
                return False
        finally:
            admin.dispose()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("people"):
                return False
            return bool(conn.scalar(sa.text("SELECT count(*) FROM people")))
    finally:
        engine.dispose()
