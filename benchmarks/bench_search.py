"""Person search at scale: p50/p95 through the whole app, and against the query alone.

    python -m benchmarks.run search
    CAREMAP_BENCH_PEOPLE=450000 CAREMAP_BENCH_REUSE=1 \
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_search \
        python -m benchmarks.run search

The database holds CAREMAP_BENCH_PEOPLE people (default 50,000 on SQLite, 450,000 on
PostgreSQL) from the synthetic city (`caremap.synthetic.generate_city`) when it is
installed, else from the people-only bulk loader below; both plant duplicates
(remembered in `bench_planted_duplicates` for bench_duplicates). CAREMAP_BENCH_REUSE=1
keeps a database that already has people in it.

Each kind of search is timed REPEATS times through gunicorn over a real socket (token,
schema, query, audit row, commit, JSON), beside its floor: the same requests' SQL
replayed on bare psycopg, committed as the app commits (benchmarks/served.py). PostgreSQL
only: CAREMAP_BENCH_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

import sqlalchemy as sa

from benchmarks.common import append_result, bench_url, migrated_app
from caremap.core.maintenance import vacuum_analyze

REPEATS = 200
GIVEN = [
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
]
SYLLABLES = [
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
]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

planted_table = sa.Table(
    "bench_planted_duplicates",
    sa.MetaData(),
    sa.Column("original_id", sa.Integer, nullable=False),
    sa.Column("duplicate_id", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
)


def default_people(url: str) -> int:
    backend = sa.engine.make_url(url).get_backend_name()
    return int(
        os.environ.get("CAREMAP_BENCH_PEOPLE", "450000" if backend == "postgresql" else "50000")
    )


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
    body = f"9{n:08d}"
    total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else body + str(check)


def _postcode(rng: random.Random) -> str:
    inward = f"{rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
    return f"PL{rng.randint(1, 9)} {inward}"


def plant_duplicate(row: dict, n: int, rng: random.Random) -> tuple[dict, str]:
    """A second record of the same person, as a busy worker might have typed it."""
    dup = {**row, "local_ref": f"CD{n:08d}", "nhs_number": None}
    born = row["date_of_birth"]
    kind = rng.choice(("family_typo", "family_typo", "given_typo", "transposed_date", "dob_typo"))
    if kind == "transposed_date" and (born.day > 12 or born.day == born.month):
        kind = "family_typo"
    if kind == "family_typo":
        dup["family_name"] = typo(row["family_name"], rng)
        if rng.random() < 0.5:
            dup["postcode"] = _postcode(rng)  # moved since
    elif kind == "given_typo":
        dup["given_name"] = typo(row["given_name"], rng)
        dup["postcode"] = _postcode(rng)
    elif kind == "transposed_date":
        dup["date_of_birth"] = dt.date(born.year, born.day, born.month)
        dup["postcode"] = None
    else:  # a mistyped date of birth, same address
        dup["date_of_birth"] = born + dt.timedelta(days=rng.choice((-1, 1)))
        if rng.random() < 0.5:
            dup["family_name"] = typo(row["family_name"], rng)
    from caremap.core.trigrams import normalise_name

    dup["search_name"] = normalise_name(f"{dup['given_name']} {dup['family_name']}")
    return dup, kind


def load_people(people: int, team_id: int, *, duplicate_rate: float = 0.01, seed: int = 42):
    """People-only bulk loader (the fallback while the synthetic city is not installed)."""
    from caremap.core.extensions import db
    from caremap.core.trigrams import normalise_name

    rng = random.Random(seed)
    people_table = sa.Table("people", sa.MetaData(), autoload_with=db.engine)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows, pairs = [], []
    originals = int(people / (1 + duplicate_rate))
    for n in range(originals):
        given, family = rng.choice(GIVEN), family_name(rng)
        row = {
            "local_ref": f"CM{n:08d}",
            "nhs_number": nhs_number(n),
            "given_name": given,
            "family_name": family,
            "date_of_birth": dt.date(1920, 1, 1) + dt.timedelta(days=rng.randrange(365 * 100)),
            "sex": rng.choice(("female", "male")),
            "postcode": _postcode(rng),
            "no_fixed_abode": False,
            "interpreter_needed": False,
            "search_name": normalise_name(f"{given} {family}"),
            "registered_by_team_id": team_id,
            "status": "live",
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        rows.append(row)
        if rng.random() < duplicate_rate:
            dup, kind = plant_duplicate(row, n, rng)
            rows.append(dup)
            pairs.append((row["local_ref"], dup["local_ref"], kind))
        if len(rows) >= 5000:
            db.session.execute(sa.insert(people_table), rows)
            rows = []
    if rows:
        db.session.execute(sa.insert(people_table), rows)
    ids = dict(db.session.execute(sa.select(people_table.c.local_ref, people_table.c.id)).all())
    return [(ids[a], ids[b], kind) for a, b, kind in pairs]


def build_people(people: int, team_id: int):
    """Fill the database; returns (original_id, duplicate_id, kind) of the planted pairs."""
    try:
        from caremap.synthetic import generate_city
    except ImportError:
        return "people-only loader", load_people(people, team_id)
    report = generate_city(people=people)
    pairs = [(p.original_id, p.duplicate_id, p.kind) for p in report.planted_duplicates]
    return "synthetic city", pairs


def people_database(name: str = "search"):
    """The app on a database of people (built, or reused), a bench user's token, and facts."""
    from caremap.auth.models import User
    from caremap.auth.operations import create_api_token, create_user
    from caremap.core.extensions import db

    probe = os.environ.get("CAREMAP_BENCH_DATABASE_URL") or "sqlite://"
    people = default_people(probe)
    url, reuse = bench_url(name, people)
    app = migrated_app(url)
    started = time.perf_counter()
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "bench@test.example"))
        if user is None:
            user = create_user(
                actor=None,
                email="bench@test.example",
                full_name="Bench",
                role="admin",
                team="caremap-administration",
                password="quiet-harbour-lantern-2026",
            )
        _, token = create_api_token(user=user, name="bench")
        db.session.commit()
        if not reuse:
            source, pairs = build_people(people, user.team_id)
            planted_table.drop(db.session.connection(), checkfirst=True)
            planted_table.create(db.session.connection())
            if pairs:
                db.session.execute(
                    sa.insert(planted_table),
                    [{"original_id": a, "duplicate_id": b, "kind": k} for a, b, k in pairs],
                )
            db.session.commit()
            # Outside the web engine's statement limit, which would cancel it.
            if not vacuum_analyze(db.engine):
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
        else:
            source = "reused"
        actual = db.session.scalar(sa.text("SELECT count(*) FROM people"))
    import gc

    # As caremap.wsgi does once the app is loaded (see there): what exists now is left out
    # of later full collections, as in a gunicorn worker.
    gc.collect()
    gc.freeze()
    facts = {
        "people": actual,
        "source": source,
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    return app, url, token, facts


def sample_people(app, n: int, seed: int = 7) -> list[dict]:
    from caremap.core.extensions import db

    with app.app_context():
        top = db.session.scalar(sa.text("SELECT max(id) FROM people"))
        ids = random.Random(seed).sample(range(1, top + 1), min(n * 2, top))
        rows = db.session.execute(
            sa.text(
                "SELECT id, local_ref, given_name, family_name, date_of_birth, postcode,"
                " nhs_number FROM people WHERE status = 'live' AND id IN ("
                + ",".join(str(i) for i in ids)
                + ")"
            )
        ).mappings()
        found = [dict(r) for r in rows]
    for r in found:
        if isinstance(r["date_of_birth"], str):
            r["date_of_birth"] = dt.date.fromisoformat(r["date_of_birth"])
    return found[:n]


KINDS = {
    "name_with_typo": lambda r, rng: {"q": f"{r['given_name']} {typo(r['family_name'], rng)}"},
    "partial_name": lambda r, rng: {"q": r["family_name"][:5]},
    # Short fragments of both names, as typed at a front desk ("Ste Dobs").
    "two_word_partial": lambda r, rng: {"q": f"{r['given_name'][:3]} {r['family_name'][:4]}"},
    "nhs_number": lambda r, rng: {"nhs_number": r["nhs_number"]},
    "date_of_birth": lambda r, rng: {"date_of_birth": r["date_of_birth"].isoformat()},
    "birth_date_and_postcode": lambda r, rng: {
        "date_of_birth": r["date_of_birth"].isoformat(),
        "postcode": r["postcode"],
    },
    # Last, so the kinds above draw the same people as in earlier runs.
    # A family name alone, mistyped: one word, so the close spellings of a common name
    # are all found ("found" is low: the person is one of hundreds of that name).
    "family_name_with_typo": lambda r, rng: {"q": typo(r["family_name"], rng)},
}


def requests_by_kind(sample: list[dict], rng: random.Random) -> dict[str, list[tuple[dict, str]]]:
    """REPEATS searches of each kind: (the person drawn, the API path that looks for them)."""
    from urllib.parse import urlencode

    chosen = {}
    for kind, params_for in KINDS.items():
        if kind == "nhs_number":
            candidates = [r for r in sample if r["nhs_number"]]
        elif kind == "birth_date_and_postcode":
            candidates = [r for r in sample if r["postcode"]]
        else:
            candidates = [r for r in sample if len(r["family_name"]) > 3]
        rows = [rng.choice(candidates) for _ in range(REPEATS)]
        chosen[kind] = [(row, f"/api/v1/people?{urlencode(params_for(row, rng))}") for row in rows]
    return chosen


def measure(app, url: str, token: str, sample: list[dict], rng: random.Random) -> dict:
    """Each kind REPEATS times through gunicorn, then the same requests' SQL on bare
    psycopg (benchmarks/served.py)."""
    from benchmarks.served import (
        best_ratios,
        capture_sql,
        capturing_app,
        compare,
        floor,
        get_all,
        refused_without_a_token,
        serve,
    )

    chosen = requests_by_kind(sample, rng)
    results = {}
    with serve(url) as server:
        get_all(server, [path for _, path in chosen["partial_name"][:20]], token)  # warm up
        for kind, requests in chosen.items():
            timings, bodies = get_all(server, [path for _, path in requests], token)
            found = sum(
                any(p["id"] == row["id"] for p in body)
                for (row, _), body in zip(requests, bodies, strict=True)
            )
            results[kind] = {"timings": timings, "found_the_person": f"{found}/{REPEATS}"}
        refused = refused_without_a_token(server)
    capturing = capturing_app(url)
    for kind, requests in chosen.items():
        captured = [capture_sql(capturing, path, token) for _, path in requests]
        bare = floor(url, captured)
        served = results[kind].pop("timings")
        results[kind] = {
            **compare(served, bare),
            **best_ratios(refused, bare.summary()),
            "statements": round(sum(len(c) for c in captured) / len(captured), 1),
            **results[kind],
        }
    results["refused_without_a_token"] = refused
    return results


def main() -> None:
    if not os.environ.get("CAREMAP_BENCH_DATABASE_URL", "").startswith("postgresql"):
        print("bench_search measures through gunicorn on PostgreSQL: set the database URL")
        return
    app, url, token, facts = people_database("search")
    load_before = [round(x, 2) for x in os.getloadavg()]
    results = measure(app, url, token, sample_people(app, 2000), random.Random(42))
    extra = {k: v for k, v in facts.items() if k != "people"}
    extra["load_average"] = [round(x, 2) for x in os.getloadavg()]  # the machine is shared
    extra["load_average_before"] = load_before
    extra["through"] = (
        "gunicorn, 2 sync workers, a new connection a request (a sync worker closes each);"
        " floor: bare psycopg"
    )
    record = append_result("search", url, facts["people"], results, repeats=REPEATS, **extra)
    print(
        f"person search, {facts['people']:,} people on {record['backend']} "
        f"({facts['source']}, load {extra['load_average']})"
    )
    refused = results["refused_without_a_token"]
    print(
        f"  {'401, no SQL (the floor of the stack)':<40} http p50 {refused['p50_ms']:>7}"
        f" p95 {refused['p95_ms']:>7} ms cpu {refused['cpu_ms']:>6} ms"
    )
    for kind, f in results.items():
        if kind == "refused_without_a_token":
            continue
        print(
            f"  {kind:<24} http p50 {f['http']['p50_ms']:>7} p95 {f['http']['p95_ms']:>7} ms"
            f" cpu {f['http']['cpu_ms']:>6} ms | floor p50 {f['floor_sql']['p50_ms']:>6}"
            f" p95 {f['floor_sql']['p95_ms']:>6} ms | ratio p95 {f['ratio_p95']:>5}"
            f" | best the stack allows {f['best_ratio_p50']}"
            f" | {f['statements']} statements | found {f['found_the_person']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
