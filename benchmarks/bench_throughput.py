"""Throughput of the record JSON endpoint under gunicorn, beside a bare Flask ceiling.

    python -m benchmarks.run throughput
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench \
    CAREMAP_BENCH_REUSE=1 python -m benchmarks.run throughput

The app (`caremap.wsgi:app`, production settings, its usual INFO request log) runs under
gunicorn with 2 workers bound to 127.0.0.1 on a free port, on the database bench_record
uses (benchmarks/shapes.py). wrk (Debian's `wrk`; `make bench` installs it) sends
`GET /api/v1/people/<id>` with a key worker's personal API token, over the 200 people of
their caseload in turn, WRK_CONNECTIONS connections for WRK_SECONDS; a Lua `done()` hook
prints the p50/p95/p99 latency and the errors (connect, read, write, timeout, non-2xx).
The ceiling is a bare Flask app returning a small fixed JSON under the same gunicorn
settings. Both are run with sync workers and with gthread workers (4 threads each).
Goal: the record endpoint at 30% or more of the ceiling's requests per second, 0 errors.
Load only ever goes to 127.0.0.1 and stops after WRK_SECONDS.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchmarks.common import append_result
from benchmarks.shapes import KEY_WORKER, api_token, pages_database

WRK_SECONDS = int(os.environ.get("CAREMAP_BENCH_WRK_SECONDS", "20"))
WRK_THREADS = 2
WRK_CONNECTIONS = 16
WORKERS = 2
THREADS = 4
ROOT = Path(__file__).resolve().parent.parent

LUA = """
local ids = {%(ids)s}
local counter = 0
request = function()
  counter = counter + 1
  local path = "%(path)s"
  if #ids > 0 then path = path .. ids[(counter %% #ids) + 1] end
  return wrk.format("GET", path, {["Authorization"] = "Bearer %(token)s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_s": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "max_ms": %%.2f, "errors": {"connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "status": %%d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
"""


def ceiling_app():
    """The ceiling: Flask answering a small fixed JSON, nothing else (gunicorn factory)."""
    import flask

    app = flask.Flask("ceiling")

    @app.get("/ping")
    def ping():
        return flask.jsonify({"status": "ok", "service": "caremap", "version": 1})

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec: str, worker_class: str, env: dict[str, str], log: Path):
    """Start gunicorn on 127.0.0.1:<free port>; returns (process, port) once it answers."""
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--workers",
        str(WORKERS),
        "--worker-class",
        worker_class,
        "--bind",
        f"127.0.0.1:{port}",
        "--chdir",
        str(ROOT),
        "--timeout",
        "60",
    ]
    # Always say how many threads: gunicorn reads gunicorn.conf.py from --chdir (threads
    # = 4), and a sync worker given threads silently becomes a gthread one, so "sync"
    # measured gthread before 30 Nov.
    command += ["--threads", str(THREADS if worker_class == "gthread" else 1)]
    process = subprocess.Popen(
        [*command, app_spec],
        env={**os.environ, **env},
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ping", timeout=2)
            return process, port
        except urllib.error.HTTPError:
            return process, port  # it answers (a 404 or 401 is an answer)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: see {log}") from None
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer within 60 s: see {log}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def load(port: int, path: str, ids: list[int], token: str, seconds: int, workdir: Path) -> dict:
    script = workdir / "load.lua"
    script.write_text(LUA % {"ids": ", ".join(str(i) for i in ids), "path": path, "token": token})
    out = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result: {out.stdout}\n{out.stderr}")
    result = json.loads(line.removeprefix("RESULT "))
    result["rps"] = round(result["requests"] / result["duration_s"], 1)
    result["errors_total"] = sum(result["errors"].values())
    return result


def measure(app_spec, worker_class, env, path, ids, token, workdir) -> dict:
    log = workdir / f"gunicorn-{worker_class}.log"
    process, port = serve(app_spec, worker_class, env, log)
    try:
        load(port, path, ids, token, 3, workdir)  # warm up: imports, pools, caches
        return load(port, path, ids, token, WRK_SECONDS, workdir)
    finally:
        stop(process)


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `make bench` installs it (Debian's wrk)")
    app, url, shape, facts = pages_database()
    token = api_token(app, KEY_WORKER)
    ids = shape["caseload_people"]
    env = {
        "CAREMAP_ENV": "production",
        "CAREMAP_DATABASE_URL": url,
        "CAREMAP_SECRET_KEY": secrets.token_hex(32),
        "CAREMAP_AUDIT_KEY": secrets.token_hex(32),  # production requires one
    }
    results = {}
    with tempfile.TemporaryDirectory(prefix="caremap-throughput-") as tmp:
        workdir = Path(tmp)
        for worker_class in ("sync", "gthread"):
            ceiling = measure(
                "benchmarks.bench_throughput:ceiling_app()",
                worker_class,
                {},
                "/ping",
                [],
                "none",
                workdir,
            )
            record = measure(
                "caremap.wsgi:app", worker_class, env, "/api/v1/people/", ids, token, workdir
            )
            ratio = round(record["rps"] / ceiling["rps"], 3)
            results[worker_class] = {"record_json": record, "ceiling": ceiling, "ratio": ratio}
            print(
                f"{worker_class:8} record {record['rps']} req/s p95 {record['p95_ms']} ms "
                f"errors {record['errors_total']} | ceiling {ceiling['rps']} req/s "
                f"p95 {ceiling['p95_ms']} ms errors {ceiling['errors_total']} | "
                f"ratio {ratio:.0%} (goal 30%)",
                flush=True,
            )
    return append_result(
        "throughput",
        url,
        facts["people"],
        results,
        source=facts["source"],
        load_average=[round(x, 2) for x in os.getloadavg()],  # the machine is shared
        load=f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s on 127.0.0.1",
        gunicorn=f"{WORKERS} workers; sync with 1 thread, gthread with {THREADS} threads",
        goal_ratio=0.3,
    )


if __name__ == "__main__":
    main()
