"""Duplicate detection on registration: speed, and precision and recall on planted duplicates.

    python -m benchmarks.run duplicates
    CAREMAP_BENCH_REUSE=1 \
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_search \
        python -m benchmarks.run duplicates

Uses the same database as bench_search (see there: size, reuse, where the people and the
planted duplicates come from). For each planted duplicate (up to SAMPLE of them) the
check runs with the duplicate's details as if registering it, leaving the duplicate
itself out: a hit is the original among the candidates.

- recall: planted duplicates whose original is among the candidates / planted checked
- precision: hits / all candidates returned for those checks (every candidate counts,
  not only the first); top-1 precision counts only the first candidate
- false alarms: the check run for people who have no planted duplicate (leaving
  themselves out); the share of them shown at least one candidate, and how many in all

Harder cases, not planted: for 300 people with no duplicate, the check with their details
typed with two mistakes at once (both names misspelt; family name misspelt and no
postcode; given and family name swapped and no postcode; family name misspelt and day
and month swapped): recall only, against their own record.

Timed directly (`find_likely_duplicates()`) and through HTTP (GET /api/v1/people/duplicates:
token, schema, query, audit row, commit, JSON).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

import sqlalchemy as sa

from benchmarks.bench_search import people_database, planted_table
from benchmarks.common import append_result, percentile, summary_ms

SAMPLE = 1000
TIMED = 200
HARDER = 300


def _slip(name: str, rng: random.Random) -> str:
    from benchmarks.bench_search import typo

    return typo(name, rng) if len(name) > 2 else name + name[-1]


def _harder_variants(details: dict, rng: random.Random) -> dict[str, dict]:
    """The same person typed with two mistakes at once (and no NHS number)."""
    from caremap.people.queries import transposed

    base = {**details, "nhs_number": None}
    given, family, born = details["given_name"], details["family_name"], details["date_of_birth"]
    variants = {
        "both_names_typo": {
            **base,
            "given_name": _slip(given, rng),
            "family_name": _slip(family, rng),
        },
        "family_typo_and_moved": {**base, "family_name": _slip(family, rng), "postcode": None},
        "names_swapped_and_moved": {
            **base,
            "given_name": family,
            "family_name": given,
            "postcode": None,
        },
    }
    swapped = transposed(born)
    if swapped:
        variants["family_typo_and_transposed_date"] = {
            **base,
            "family_name": _slip(family, rng),
            "date_of_birth": swapped,
            "postcode": None,
        }
    return variants


def _details(row) -> dict:
    born = row.date_of_birth
    if isinstance(born, str):
        born = dt.date.fromisoformat(born)
    return {
        "given_name": row.given_name,
        "family_name": row.family_name,
        "date_of_birth": born,
        "nhs_number": row.nhs_number,
        "postcode": row.postcode,
    }


def main() -> None:
    from caremap.core.extensions import db
    from caremap.people.models import Person
    from caremap.people.queries import find_likely_duplicates

    app, url, token, facts = people_database("search")
    rng = random.Random(42)
    columns = (
        Person.id,
        Person.given_name,
        Person.family_name,
        Person.date_of_birth,
        Person.nhs_number,
        Person.postcode,
    )
    with app.app_context():
        pairs = db.session.execute(sa.select(planted_table)).all()
        pairs = rng.sample(pairs, min(SAMPLE, len(pairs)))
        people = {
            r.id: r
            for r in db.session.execute(
                sa.select(*columns).where(Person.id.in_([p.duplicate_id for p in pairs]))
            )
        }
        involved = {p.original_id for p in pairs} | {p.duplicate_id for p in pairs}
        all_involved = set(db.session.scalars(sa.select(planted_table.c.original_id))) | set(
            db.session.scalars(sa.select(planted_table.c.duplicate_id))
        )
        top = db.session.scalar(sa.select(sa.func.max(Person.id)))
        others = [i for i in rng.sample(range(1, top + 1), SAMPLE * 2) if i not in all_involved][
            :SAMPLE
        ]
        singles = list(db.session.execute(sa.select(*columns).where(Person.id.in_(others))))

        hits = returned = top_hits = 0
        missed: dict[str, int] = {}
        kinds: dict[str, list[int]] = {}
        direct = []
        for pair in pairs:
            row = people[pair.duplicate_id]
            started = time.perf_counter()
            found = find_likely_duplicates(**_details(row), exclude_id=row.id)
            direct.append((time.perf_counter() - started) * 1000)
            ids = [c.person.id for c in found]
            hit = pair.original_id in ids
            hits += hit
            returned += len(ids)
            top_hits += bool(ids) and ids[0] == pair.original_id
            kinds.setdefault(pair.kind, [0, 0])
            kinds[pair.kind][0] += hit
            kinds[pair.kind][1] += 1
            if not hit:
                missed[pair.kind] = missed.get(pair.kind, 0) + 1
            db.session.rollback()
        alarms = alarmed = 0
        for row in singles:
            started = time.perf_counter()
            found = find_likely_duplicates(**_details(row), exclude_id=row.id)
            direct.append((time.perf_counter() - started) * 1000)
            alarms += len(found)
            alarmed += bool(found)
            db.session.rollback()
        del involved
        # Harder than the planted ones: two slips at once, made up here from people with
        # no duplicate, checked against their own record (recall only).
        harder: dict[str, list[int]] = {}
        for row in singles[:HARDER]:
            for kind, details in _harder_variants(_details(row), rng).items():
                found = find_likely_duplicates(**details)
                harder.setdefault(kind, [0, 0])
                harder[kind][0] += row.id in [c.person.id for c in found]
                harder[kind][1] += 1
                db.session.rollback()

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    http = []
    for row in rng.sample([*people.values(), *singles], TIMED):
        params = {k: v for k, v in _details(row).items() if v}
        params["date_of_birth"] = params["date_of_birth"].isoformat()
        started = time.perf_counter()
        response = client.get("/api/v1/people/duplicates", query_string=params, headers=headers)
        http.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.json

    results = {
        "planted_checked": len(pairs),
        "recall": round(hits / max(len(pairs), 1), 4),
        "precision": round(hits / max(returned, 1), 4),
        "precision_top1": round(top_hits / max(sum(1 for _ in pairs), 1), 4),
        "candidates_per_check": round(returned / max(len(pairs), 1), 2),
        "recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())},
        "harder_recall_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(harder.items())},
        "non_duplicates_checked": len(singles),
        "non_duplicates_alarmed": alarmed,
        "false_candidates": alarms,
        "direct": summary_ms(direct),
        "http": summary_ms(http),
        "ratio_p95": round(percentile(http, 95) / max(percentile(direct, 95), 0.001), 2),
    }
    extra = {k: v for k, v in facts.items() if k != "people"}
    extra["load_average"] = [round(x, 2) for x in os.getloadavg()]  # the machine is shared
    record = append_result("duplicates", url, facts["people"], results, **extra)
    print(
        f"duplicate detection, {facts['people']:,} people on {record['backend']} "
        f"({facts['source']})"
    )
    print(
        f"  recall {results['recall']}  precision {results['precision']} "
        f"(top-1 {results['precision_top1']}, {results['candidates_per_check']} candidates"
        f" a check)  by kind {results['recall_by_kind']}"
    )
    print(f"  harder, two slips at once (recall): {results['harder_recall_by_kind']}")
    print(f"  non-duplicates shown a candidate: {alarmed}/{len(singles)} ({alarms} candidates)")
    print(
        f"  direct p50 {results['direct']['p50_ms']} ms p95 {results['direct']['p95_ms']} ms"
        f"   http p50 {results['http']['p50_ms']} ms p95 {results['http']['p95_ms']} ms"
    )


if __name__ == "__main__":
    main()
