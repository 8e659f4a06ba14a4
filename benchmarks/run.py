"""Person search at scale: p50/p95 through the whole app, and against the raw SQL.

    make bench                                   # 50,000 people on SQLite
    CAREMAP_BENCH_PEOPLE=200000 make bench
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench make bench

Each run builds a fresh database, writes people in bulk (no ORM per row), then
times each kind of search through HTTP (the Flask test client: routing, token,
schema, query, audit row, JSON) and the same SELECT run directly. Results are
appended to benchmarks/results/search.jsonl and summarised on stdout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import secrets
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

RESULTS = Path(__file__).resolve().parent / "results" / "search.jsonl"
GIVEN = (
    "Margaret",
    "Jean",
    "Susan",
    "Patricia",
    "Elizabeth",
    "Mary",
    "Linda",
    "Karen",
    "Sarah",
    "Emma",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Jessica",
    "Sophie",
    "Chloe",
    "Ruby",
    "Grace",
    "Lily",
    "John",
    "David",
    "Michael",
    "Peter",
    "Paul",
    "Robert",
    "James",
    "William",
    "Richard",
    "Thomas",
    "George",
    "Harry",
    "Jack",
    "Oliver",
    "Charlie",
    "Noah",
    "Leo",
    "Arthur",
    "Alfie",
    "Daniel",
    "Mohammed",
    "Adam",
    "Priya",
    "Aisha",
    "Fatima",
    "Wei",
    "Tomasz",
    "Agnieszka",
    "Kofi",
    "Ama",
)
SYLLABLES = (
    "tre",
    "pen",
    "pol",
    "wen",
    "thom",
    "son",
    "war",
    "ton",
    "ham",
    "ley",
    "ing",
    "ford",
    "by",
    "well",
    "ridge",
    "combe",
    "mor",
    "gan",
    "el",
    "ric",
    "ash",
    "wood",
    "stone",
    "field",
    "crock",
    "er",
    "lan",
    "ter",
    "vos",
    "per",
    "kes",
    "sell",
    "ross",
    "tru",
    "cott",
    "hock",
    "ing",
    "ker",
    "row",
    "an",
    "ville",
    "mar",
    "sh",
    "all",
    "good",
    "win",
    "bur",
    "den",
)
REPEATS = 200


def family_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()


def typo(name: str, rng: random.Random) -> str:
    """One edit: a dropped, doubled or swapped letter."""
    i = rng.randrange(1, len(name) - 1)
    edit = rng.choice(("drop", "double", "swap"))
    if edit == "drop":
        return name[:i] + name[i + 1 :]
    if edit == "double":
        return name[:i] + name[i] + name[i:]
    return name[: i - 1] + name[i] + name[i - 1] + name[i + 1 :]


def nhs_number(n: int) -> str | None:
    body = f"999{n % 1_000_000:06d}"
    total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else body + str(check)


def build(url: str, people: int, rng: random.Random):
    from alembic import command

    from caremap.app import create_app
    from caremap.cli import alembic_config
    from caremap.core.trigrams import normalise_name
    from caremap.extensions import db
    from caremap.seed import seed_reference

    config = alembic_config(url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")
    app = create_app(
        {
            "ENV": "test",
            "DATABASE_URL": url,
            "SECRET_KEY": secrets.token_hex(32),
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        seed_reference()
        from caremap.auth.operations import create_api_token, create_user

        user = create_user(
            actor=None,
            email="bench@test.example",
            full_name="Bench",
            role="admin",
            team="caremap-administration",
            password="benchmark-password",
        )
        _, token = create_api_token(user=user, name="bench")
        team_id = user.team_id
        db.session.commit()
        people_table = sa.Table("people", sa.MetaData(), autoload_with=db.engine)
        started = time.perf_counter()
        rows, sample = [], []
        for n in range(people):
            given, family = rng.choice(GIVEN), family_name(rng)
            born = dt.date(1920, 1, 1) + dt.timedelta(days=rng.randrange(365 * 100))
            letters = "ABDEFGHJLNPQRSTUWXYZ"
            inward = f"{rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
            postcode = f"PL{rng.randint(1, 9)} {inward}"
            row = {
                "local_ref": f"CM{n:08d}",
                "nhs_number": nhs_number(n),
                "given_name": given,
                "family_name": family,
                "date_of_birth": born,
                "sex": rng.choice(("female", "male")),
                "postcode": postcode,
                "no_fixed_abode": False,
                "interpreter_needed": False,
                "search_name": normalise_name(f"{given} {family}"),
                "registered_by_team_id": team_id,
                "status": "live",
                "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "version": 1,
            }
            rows.append(row)
            if rng.random() < 0.01:
                sample.append(row)
            if len(rows) == 5000:
                db.session.execute(sa.insert(people_table), rows)
                rows = []
        if rows:
            db.session.execute(sa.insert(people_table), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE people"))
            db.session.commit()
        load_seconds = time.perf_counter() - started
    return app, token, sample, load_seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(app, token: str, sample: list[dict], rng: random.Random) -> dict:
    from caremap.extensions import db
    from caremap.people.queries import search_people

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    kinds = {
        "name_with_typo": lambda r: {"q": f"{r['given_name']} {typo(r['family_name'], rng)}"},
        "partial_name": lambda r: {"q": r["family_name"][:5]},
        "nhs_number": lambda r: {"nhs_number": r["nhs_number"]},
        "birth_date_and_postcode": lambda r: {
            "date_of_birth": r["date_of_birth"].isoformat(),
            "postcode": r["postcode"],
        },
    }
    results = {}
    for kind, params_for in kinds.items():
        http, raw, found = [], [], 0
        candidates = [r for r in sample if r["nhs_number"]] if kind == "nhs_number" else sample
        for _ in range(REPEATS):
            row = rng.choice(candidates)
            params = params_for(row)
            started = time.perf_counter()
            response = client.get("/api/v1/people", query_string=params, headers=headers)
            http.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.json
            found += any(p["local_ref"] == row["local_ref"] for p in response.json)
            with app.app_context():
                search_args = {**params}
                if "date_of_birth" in search_args:
                    search_args["date_of_birth"] = dt.date.fromisoformat(
                        search_args["date_of_birth"]
                    )
                started = time.perf_counter()
                search_people(**search_args, limit=25)
                raw.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
        results[kind] = {
            "http_p50_ms": round(percentile(http, 50), 2),
            "http_p95_ms": round(percentile(http, 95), 2),
            "query_p50_ms": round(percentile(raw, 50), 2),
            "query_p95_ms": round(percentile(raw, 95), 2),
            "ratio_p95": round(percentile(http, 95) / max(percentile(raw, 95), 0.001), 2),
            "found_the_person": f"{found}/{REPEATS}",
        }
    return results


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True).stdout.strip()


def fresh_url() -> str:
    url = os.environ.get("CAREMAP_BENCH_DATABASE_URL")
    if not url:
        path = Path("/tmp") / f"caremap-bench-{os.getpid()}.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    parsed = sa.engine.make_url(url)
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


def main() -> None:
    import logging

    logging.getLogger("caremap").setLevel(logging.WARNING)  # one line per request is noise here
    people = int(os.environ.get("CAREMAP_BENCH_PEOPLE", "50000"))
    rng = random.Random(42)
    url = fresh_url()
    app, token, sample, load_seconds = build(url, people, rng)
    results = measure(app, token, sample, rng)
    commit = _git("rev-parse", "--short", "HEAD") + (
        "+dirty" if _git("status", "--porcelain") else ""
    )
    record = {
        "benchmark": "person_search",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores",
        "python": platform.python_version(),
        "backend": sa.engine.make_url(url).get_backend_name(),
        "people": people,
        "load_seconds": round(load_seconds, 1),
        "repeats": REPEATS,
        "results": results,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    print(
        f"person search, {people:,} people on {record['backend']} (loaded in {load_seconds:.1f} s)"
    )
    for kind, figures in results.items():
        print(
            f"  {kind:<24} http p50 {figures['http_p50_ms']:>7} ms  "
            f"p95 {figures['http_p95_ms']:>7} ms   "
            f"query p95 {figures['query_p95_ms']:>7} ms   ratio {figures['ratio_p95']:>5}   "
            f"found {figures['found_the_person']}"
        )


if __name__ == "__main__":
    main()
