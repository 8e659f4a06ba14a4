"""What a user gets: the app under gunicorn over a real socket, beside its floor.

Each request is sent on one HTTP client connection to gunicorn (production
settings, bound to 127.0.0.1 on a free port; a sync worker closes the connection after
each answer, so every request connects anew), committing as the app does. Its floor is
the very SQL the app ran for it (captured by running the same request once in this
process) replayed on a bare psycopg connection, in one transaction committed as the app
commits: what the database alone costs. Wall time for both, and CPU time: the gunicorn
workers' (from /proc, per kind of request) and the replay's own, since the machine is
shared and wall time moves with everyone else's work.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy import event

from benchmarks.bench_throughput import free_port, stop
from benchmarks.common import percentile

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


AUDIT_KEY = secrets.token_hex(32)


def served_env(url: str) -> dict[str, str]:
    return {
        "CAREMAP_ENV": "production",
        "CAREMAP_DATABASE_URL": url,
        "CAREMAP_SECRET_KEY": secrets.token_hex(32),
        "CAREMAP_AUDIT_KEY": AUDIT_KEY,
        "CAREMAP_LOG_LEVEL": "WARNING",
    }


def capturing_app(url: str):
    """The app as gunicorn runs it (production settings, the same audit key), in this
    process, to capture the SQL each request runs."""
    from caremap.app import create_app

    return create_app(
        {
            "ENV": "production",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "AUDIT_KEY": AUDIT_KEY,
            "LOG_LEVEL": "WARNING",
        }
    )


@dataclass
class Server:
    port: int
    process: Any
    log: Path

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def cpu_seconds(self) -> float:
        """User + system CPU of every worker so far."""
        total = 0
        for pid in self.worker_pids():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / TICKS


@contextlib.contextmanager
def serve(url: str, *, workers: int = 2, log_dir: Path | None = None) -> Iterator[Server]:
    """caremap.wsgi:app under gunicorn (sync workers) until the block ends."""
    import subprocess
    import sys
    import tempfile
    import urllib.error
    import urllib.request

    port = free_port()
    log = (log_dir or Path(tempfile.gettempdir())) / f"caremap-served-{port}.log"
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        *("--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--chdir", str(ROOT)),
        # --threads 1: gunicorn reads gunicorn.conf.py from --chdir (threads = 4), and a
        # sync worker given threads becomes a gthread one; this measures sync workers.
        *("--threads", "1", "--timeout", "60", "caremap.wsgi:app"),
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **served_env(url)},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start: see {log}") from None
                time.sleep(0.3)
        yield Server(port, process, log)
    finally:
        stop(process)


@dataclass
class Timings:
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms_per_request: float = 0.0

    def summary(self) -> dict[str, float]:
        return {
            "p50_ms": round(percentile(self.wall_ms, 50), 2),
            "p95_ms": round(percentile(self.wall_ms, 95), 2),
            "cpu_ms": round(self.cpu_ms_per_request, 2),
            "n": len(self.wall_ms),
        }


def get_all(server: Server, paths: list[str], token: str) -> tuple[Timings, list[Any]]:
    """GET each path in turn on one client connection (a sync worker answers with
    `Connection: close`, so each request opens a new one, as a proxy's would): wall
    time per request and the workers' CPU time per request; the JSON bodies."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    timings, bodies = Timings(), []
    cpu_before = server.cpu_seconds()
    for path in paths:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        timings.wall_ms.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
        bodies.append(json.loads(body))
    timings.cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / len(paths)
    connection.close()
    return timings, bodies


def refused_without_a_token(server: Server, n: int = 200) -> dict[str, float]:
    """The stack's own floor, in the same run: an API call answered 401 before any SQL
    (gunicorn, Flask, flask-smorest's error, the request hooks, a new connection each
    time as for every request to a sync worker). No request that reads the database can
    cost less than this plus its SQL."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    timings = Timings()
    for _ in range(20):  # warm
        connection.request("GET", "/api/v1/people/1")
        connection.getresponse().read()
    cpu_before = server.cpu_seconds()
    for _ in range(n):
        started = time.perf_counter()
        connection.request("GET", "/api/v1/people/1")
        response = connection.getresponse()
        response.read()
        timings.wall_ms.append((time.perf_counter() - started) * 1000)
        if response.status != 401:
            raise RuntimeError(f"without a token: {response.status}")
    timings.cpu_ms_per_request = (server.cpu_seconds() - cpu_before) * 1000 / n
    connection.close()
    return timings.summary()


def best_ratios(refused: dict[str, float], floor_summary: dict[str, float]) -> dict[str, float]:
    """The ratios a request could reach if everything but its SQL cost no more than the
    401 above: (the 401 + the SQL) / the SQL, for wall time at p50 and for CPU."""
    return {
        "best_ratio_p50": round(
            (refused["p50_ms"] + floor_summary["p50_ms"]) / max(floor_summary["p50_ms"], 0.001), 2
        ),
        "best_cpu_ratio": round(
            (refused["cpu_ms"] + floor_summary["cpu_ms"]) / max(floor_summary["cpu_ms"], 0.001), 2
        ),
    }


def capture_sql(app, path: str, token: str) -> list[tuple[str, Any, bool]]:
    """The statements the app runs for this request (its parameters as sent), found by
    running it once in this process through the Flask test client."""
    from caremap.core.extensions import db

    engine = db.state(app).engine
    seen: list[tuple[str, Any, bool]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters, executemany))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        response = app.test_client().get(path, headers={"Authorization": f"Bearer {token}"})
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")
    return seen


def psycopg_url(url: str) -> str:
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(False)


def replay(connection: psycopg.Connection, statements: list[tuple[str, Any, bool]]) -> None:
    """The statements on bare psycopg, fetching every row, committed as the app commits."""
    with connection.cursor() as cursor:
        for statement, parameters, many in statements:
            if many:
                cursor.executemany(statement, parameters)
                continue
            cursor.execute(statement, parameters)
            if cursor.description is not None:
                cursor.fetchall()
    connection.commit()


def floor(url: str, captured: list[list[tuple[str, Any, bool]]]) -> Timings:
    """Replay each request's SQL in turn on one connection: wall and CPU time each."""
    timings = Timings()
    with psycopg.connect(psycopg_url(url)) as connection:
        for statements in captured[:5]:  # warm: psycopg prepares after five runs
            replay(connection, statements)
        cpu_before = time.process_time()
        for statements in captured:
            started = time.perf_counter()
            replay(connection, statements)
            timings.wall_ms.append((time.perf_counter() - started) * 1000)
        timings.cpu_ms_per_request = (time.process_time() - cpu_before) * 1000 / len(captured)
    return timings


def compare(http_timings: Timings, floor_timings: Timings) -> dict[str, Any]:
    """The figure beside its floor, and their ratios."""
    served, bare = http_timings.summary(), floor_timings.summary()
    return {
        "http": served,
        "floor_sql": bare,
        "ratio_p50": round(served["p50_ms"] / max(bare["p50_ms"], 0.001), 2),
        "ratio_p95": round(served["p95_ms"] / max(bare["p95_ms"], 0.001), 2),
        # CPU per request: the app's workers against the bare replay of the same SQL
        # (psycopg sending it and reading every row), which the load on the machine moves
        # far less than wall time.
        "cpu_ratio": round(served["cpu_ms"] / max(bare["cpu_ms"], 0.001), 2),
    }
