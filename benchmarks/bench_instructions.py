"""Instructions per request: the CPU cost of the hottest API calls, counted, not timed.

    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_search \\
    CAREMAP_BENCH_PEOPLE=450000 CAREMAP_BENCH_REUSE=1 python -m benchmarks.run instructions

On a shared two-core machine the CPU time of one request moves by 30-40% from one run to
the next (neighbours, caches, frequency), so a change of 5-10% cannot be seen in it. The
number of machine instructions a request executes does not move: each kind of request
is run in process (the app as gunicorn loads it, through Flask's test client) under
valgrind's callgrind, with counting switched on only around the requests themselves, and
two runs of the same code agree within 0.2%. It measures the app's own CPU (Python,
SQLAlchemy, psycopg, libpq), never the database's, and says nothing of wall time: the
served benchmarks (bench_search, bench_record) say that.

Which kinds are counted depends on the database given: the searches of bench_search and
an API call refused 401 on the search database (its bench user); the record JSON of the
key worker's people on bench_record's database (its KEY_WORKER). Needs Debian's
`valgrind` package; without it, says so and records nothing.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import append_result

REQUESTS = 100  # counted, per kind
WARM = 30  # run first, uncounted; other requests of the kind, so nothing counted is cached
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def _requests(url: str) -> tuple[dict[str, tuple[list[str], list[str]]], str, int]:
    """{kind: (the paths counted, the paths run first)}, a token, and the people on record."""
    from benchmarks.bench_search import requests_by_kind, sample_people
    from benchmarks.common import migrated_app
    from benchmarks.shapes import KEY_WORKER, api_token
    from caremap.auth.models import User
    from caremap.careteam.models import CareTeamMember
    from caremap.core.extensions import db

    app = migrated_app(url)
    with app.app_context():
        people = db.session.scalar(sa.text("SELECT count(*) FROM people"))
        emails = set(db.session.scalars(sa.select(User.email)))
    kinds: dict[str, tuple[list[str], list[str]]] = {}
    total = REQUESTS + WARM
    if KEY_WORKER in emails:
        token = api_token(app, KEY_WORKER)
        with app.app_context():
            worker = db.session.scalar(sa.select(User.id).where(User.email == KEY_WORKER))
            caseload = db.session.scalars(
                sa.select(CareTeamMember.person_id)
                .where(CareTeamMember.user_id == worker, CareTeamMember.ended_at.is_(None))
                .order_by(CareTeamMember.person_id)
            ).all()
        rng = random.Random(3)
        paths = [f"/api/v1/people/{rng.choice(caseload)}" for _ in range(total)]
        kinds["record_json"] = (paths[:REQUESTS], paths[REQUESTS:])
    elif "bench@test.example" in emails:
        token = api_token(app, "bench@test.example")
        chosen = requests_by_kind(sample_people(app, 2000), random.Random(42))
        for kind, requests in chosen.items():
            paths = [path for _, path in requests][:total]
            kinds[kind] = (paths[:REQUESTS], paths[REQUESTS:])
    else:
        raise SystemExit("no bench user here: run bench_search or bench_record on it first")
    kinds["refused_401"] = (["/api/v1/people/1"] * REQUESTS, ["/api/v1/people/1"] * WARM)
    return kinds, token, people


def _inner(url: str, plan_file: str) -> None:
    """Under callgrind: the app, the warm-up, then the counted requests alone."""
    import gc

    from benchmarks.served import capturing_app

    plan = json.loads(Path(plan_file).read_text())
    client = capturing_app(url).test_client()
    headers = {"Authorization": f"Bearer {plan['token']}"} if plan["token"] else {}
    for path in plan["warm"]:
        client.get(path, headers=headers)
    gc.collect()
    gc.freeze()  # as caremap.wsgi does once the app is loaded
    control = ["callgrind_control", "--instr=on", str(os.getpid())]
    subprocess.run(control, check=True, capture_output=True)
    for path in plan["counted"]:
        response = client.get(path, headers=headers)
        if response.status_code != plan["status"]:
            raise SystemExit(f"{path}: {response.status_code}")
    control[1] = "--instr=off"
    subprocess.run(control, check=True, capture_output=True)


def _count(url: str, counted: list[str], warm: list[str], token: str | None, status: int) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        plan = Path(scratch) / "plan.json"
        plan.write_text(
            json.dumps({"counted": counted, "warm": warm, "token": token, "status": status})
        )
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={scratch}/callgrind.out",
            sys.executable,
            "-m",
            "benchmarks.bench_instructions",
            "--inner",
            url,
            str(plan),
        ]
        done = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    found = _REFS.findall(done.stderr)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"callgrind run failed ({done.returncode}): {done.stderr[-2000:]}")
    return int(found[-1].replace(",", ""))


def main() -> None:
    url = os.environ.get("CAREMAP_BENCH_DATABASE_URL", "")
    if not url:
        print("bench_instructions counts on a benchmark database: set CAREMAP_BENCH_DATABASE_URL")
        return
    if not (shutil.which("valgrind") and shutil.which("callgrind_control")):
        print("bench_instructions needs valgrind's callgrind: apt-get install valgrind")
        return
    kinds, token, people = _requests(url)
    results = {}
    for kind, (counted, warm) in kinds.items():
        refused = kind == "refused_401"
        total = _count(url, counted, warm, None if refused else token, 401 if refused else 200)
        results[kind] = {"instructions_per_request": total // len(counted), "n": len(counted)}
        millions = total / len(counted) / 1e6
        print(f"  {kind:<24} {millions:7.2f} M instructions a request", flush=True)
    append_result(
        "instructions",
        url,
        people,
        results,
        through="in process under valgrind's callgrind (Flask's test client included)",
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--inner"]:
        _inner(sys.argv[2], sys.argv[3])
    else:
        main()
