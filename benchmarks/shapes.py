"""Specific data shapes for the page benchmarks and query-budget tests, written in bulk.

Every function inserts with SQLAlchemy Core (one executemany per table, no ORM flush)
inside the current app context; the caller commits. Rows are the same shape the
operations write, so the pages read them as they would read real records.

- `add_history(person_id, events=500)`: a chronology of exactly `events` entries
  (referrals with routing decisions and status changes, episodes, my story versions,
  consent decisions, carers, identity changes, safeguarding concerns), by many
  workers, across every service.
- `add_caseload(worker_id, people=200)`: a key worker leading the care of that many
  people, each with flags (consent, polypharmacy, cohort, safeguarding, key worker).
- `add_queue(service_id, referrals=1000)`: that many open referrals to one service.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.common import recreate_database
from caremap.core.extensions import db
from caremap.core.maintenance import vacuum_analyze

_GIVEN = ["Ada", "Bryn", "Cerys", "Dylan", "Elin", "Fraser", "Gwen", "Harri", "Iris", "Jago"]
_FAMILY = ["Penrose", "Trelawny", "Kitto", "Pascoe", "Jago", "Nance", "Roskilly", "Tonkin"]
_counter = iter(range(10**9))


def _t(model_name: str) -> sa.Table:
    from caremap.models import Base  # every model registered

    return Base.metadata.tables[model_name]


def _insert(table: str, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows (one executemany) and return their ids in order."""
    if not rows:
        return []
    t = _t(table)
    if "id" not in t.c:
        db.session.execute(t.insert(), rows)
        return []
    result = db.session.execute(t.insert().returning(t.c.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]


def reference_data() -> dict[str, list[int]]:
    """Ids of the services, teams, needs and users already in the database."""
    return {
        "services": list(db.session.scalars(sa.select(_t("services").c.id).order_by("id"))),
        "teams": list(db.session.scalars(sa.select(_t("teams").c.id).order_by("id"))),
        "needs": list(db.session.scalars(sa.select(_t("needs").c.code).order_by("code"))),
        "users": list(db.session.scalars(sa.select(_t("users").c.id).order_by("id"))),
    }


def add_workers(n: int, *, team_ids: list[int], role: str = "practitioner") -> list[int]:
    """`n` staff accounts (they cannot sign in: the hash is not a real one)."""
    tag = next(_counter)
    rows = [
        {
            "email": f"bench-{tag}-{i}@caremap.example",
            "full_name": f"{_GIVEN[i % len(_GIVEN)]} Worker{tag}x{i}",
            "role": role,
            "team_id": team_ids[i % len(team_ids)],
            "password_hash": "!",
        }
        for i in range(n)
    ]
    return _insert("users", rows)


def add_people(n: int, *, team_id: int, user_id: int | None = None, born: dt.date | None = None):
    """`n` live people registered by the team; returns their ids."""
    tag = next(_counter)
    rng = random.Random(tag)
    rows = []
    for i in range(n):
        given, family = rng.choice(_GIVEN), rng.choice(_FAMILY) + f"{tag}x{i}"
        rows.append(
            {
                "local_ref": f"B{tag % 10**4:04d}{i:07d}",
                "given_name": given,
                "family_name": family,
                "date_of_birth": born or dt.date(1930 + rng.randrange(70), 1 + i % 12, 1 + i % 28),
                "postcode": f"PL{1 + i % 9} {1 + i % 9}AB",
                "search_name": f"{given} {family}".lower(),
                "registered_by_team_id": team_id,
                "registered_by_id": user_id,
                "status": "live",
                "sex": "unknown",
                "gp_practice_name": "Mount Gould Surgery",
            }
        )
    return _insert("people", rows)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def add_history(
    person_id: int,
    *,
    events: int = 500,
    users: list[int] | None = None,
    seed: int = 7,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Records about the person making exactly `events` chronology entries.

    A unit of history is picked in turn: a referral (received, routed, accepted: 3
    entries; with its routing decision), an episode (started and ended: 2), a story
    version, a consent decision, a carer, an identity change (1 each), a safeguarding
    concern (raised and closed: 2). Actors and services vary, as they would.
    """
    ref = reference_data()
    users = users or ref["users"]
    rng = random.Random(seed)
    now = now or _now()
    start = now - dt.timedelta(days=5 * 365)
    step = (now - start) / max(events, 1)
    moments = iter(start + step * i for i in range(events + 10))
    kinds = ["referral", "episode", "story", "consent", "carer", "identity", "concern"]
    sizes = {"referral": 3, "episode": 2, "concern": 2}
    tag = next(_counter)
    left = events
    plan: list[str] = []
    while left:
        kind = kinds[len(plan) % len(kinds)]
        if sizes.get(kind, 1) > left:
            kind = "story"
        plan.append(kind)
        left -= sizes.get(kind, 1)

    submissions, referrals, changes, status_rows, needs = [], [], [], [], []
    episodes, stories, consents, carers, audits, concerns = [], [], [], [], [], []
    for n, kind in enumerate(plan):
        at = next(moments)
        actor = rng.choice(users)
        service = rng.choice(ref["services"])
        if kind == "referral":
            next(moments), next(moments)
            submissions.append({"person_id": person_id, "submitted_by_id": actor})
            referrals.append(
                {
                    "reference": f"H{tag % 1000:03d}{n:08d}",
                    "person_id": person_id,
                    "service_id": service,
                    "source": rng.choice(["gp", "hospital", "self", "family_or_carer"]),
                    "referrer_name": "Dr Morwenna Hicks",
                    "referrer_contact": "01752 000000",
                    "details": "Home from hospital after a fall; lives alone.",
                    "urgency": rng.choice(["urgent", "routine"]),
                    "consent_to_share": True,
                    "received_at": at,
                    "due_at": at + dt.timedelta(days=2),
                    "status": "accepted",
                    "status_changed_at": at + step * 2,
                    "responded_at": at + step * 2,
                    "created_by_id": actor,
                    "created_at": at,
                }
            )
            changes.append([(at, None, "received"), (at + step, "received", "routed")])
            changes[-1].append((at + step * 2, "routed", "accepted"))
        elif kind == "episode":
            next(moments)
            episodes.append(
                {
                    "person_id": person_id,
                    "service_id": service,
                    "kind": "general",
                    "started_on": at.date(),
                    "ended_on": (at + step).date(),
                    "end_reason": "Goals met",
                    "created_by_id": actor,
                }
            )
        elif kind == "story":
            stories.append(
                {
                    "person_id": person_id,
                    "text": f"Version {n}: I want to stay in my own home, near my daughter. " * 3,
                    "recorded_by_id": actor,
                    "recorded_at": at,
                }
            )
        elif kind == "consent":
            consents.append(
                {
                    "person_id": person_id,
                    "status": rng.choice(["given", "refused"]),
                    "decided_on": at.date(),
                    "note": "Discussed at home visit",
                    "recorded_by_id": actor,
                    "recorded_at": at,
                }
            )
        elif kind == "carer":
            carers.append(
                {
                    "person_id": person_id,
                    "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}",
                    "relationship_to_person": rng.choice(["daughter", "son", "neighbour"]),
                    "is_carer": True,
                    "is_next_of_kin": n % 2 == 0,
                    "involved_in_care": True,
                    "is_active": n % 5 == 0,
                    "recorded_by_id": actor,
                    "created_at": at,
                }
            )
        elif kind == "identity":
            audits.append(
                {
                    "at": at,
                    "actor_id": actor,
                    "action": "people.update_identity",
                    "person_id": person_id,
                    "changes": {"phone": ["01752 111111", "01752 222222"]},
                }
            )
        elif kind == "concern":
            next(moments)
            concerns.append(
                {
                    "reference": f"S{tag % 1000:03d}{n:08d}",
                    "person_id": person_id,
                    "raised_by_id": actor,
                    "raised_at": at,
                    "categories": ["self_neglect"],
                    "risk_location": "own_home",
                    "risk_source": "unknown",
                    "immediate_actions": "Visited the same day",
                    "what_happened": "Found without heating",
                    "needs_advocate": False,
                    "capacity": "has_capacity",
                    "status": "closed",
                    "triage_due_at": at + dt.timedelta(days=2),
                    "closed_at": at + step,
                }
            )

    submission_ids = _insert("referral_submissions", submissions)
    for referral, submission_id in zip(referrals, submission_ids, strict=True):
        referral["submission_id"] = submission_id
    referral_ids = _insert("referrals", referrals)
    for referral_id, moves in zip(referral_ids, changes, strict=True):
        status_rows.extend(
            {
                "referral_id": referral_id,
                "at": at,
                "from_status": from_status,
                "to_status": to_status,
                "actor_id": rng.choice(users),
            }
            for at, from_status, to_status in moves
        )
        needs.extend(
            {"referral_id": referral_id, "need_code": code} for code in rng.sample(ref["needs"], 2)
        )
    _insert("referral_status_changes", status_rows)
    _insert("referral_needs", needs)
    _insert(
        "routing_decisions",
        [
            {
                "referral_id": referral_id,
                "decided_at": referral["received_at"],
                "decided_by_id": referral["created_by_id"],
                "kind": "rules",
                "explanation": [{"rule": "falls-home-from-hospital", "version": 3}],
                "facts": {"age": 84, "needs": ["leaving_hospital"]},
            }
            for referral_id, referral in zip(referral_ids, referrals, strict=True)
        ],
    )
    _insert("episodes", episodes)
    _insert("story_versions", stories)
    _insert("consent_records", consents)
    _insert("related_people", carers)
    _insert("audit_events", audits)
    _insert("safeguarding_concerns", concerns)
    return {kind: plan.count(kind) for kind in kinds}


def add_caseload(worker_id: int, *, people: int = 200, team_id: int, seed: int = 11):
    """A key worker leading the care of `people` people, each with some flags."""
    rng = random.Random(seed)
    now = _now()
    today = now.date()
    ids = add_people(people, team_id=team_id, user_id=worker_id)
    _insert(
        "care_team_members",
        [
            {
                "person_id": pid,
                "user_id": worker_id,
                "role": "Key worker",
                "is_lead": True,
                "started_at": now - dt.timedelta(days=rng.randrange(1, 900)),
                "assigned_by_id": worker_id,
            }
            for pid in ids
        ],
    )
    consents, medicines, assessments, concerns, tasks = [], [], [], [], []
    for i, pid in enumerate(ids):
        at = now - dt.timedelta(days=rng.randrange(30, 700))
        if i % 3 == 0:
            consents.append(
                {
                    "person_id": pid,
                    "status": "refused" if i % 2 else "given",
                    "decided_on": at.date(),
                    "recorded_by_id": worker_id,
                    "recorded_at": at,
                }
            )
        if i % 4 == 0:
            for m in range(5 + i % 7):
                medicines.append(
                    {
                        "person_id": pid,
                        "name": f"Medicine {m}",
                        "dose": "10 mg",
                        "route": "oral",
                        "frequency": "once a day",
                        "started_on": today - dt.timedelta(days=200),
                        "source": "gp_record",
                        "recorded_by_id": worker_id,
                    }
                )
        if i % 5 == 0:
            assessments.append(
                {
                    "person_id": pid,
                    "assessed_on": at.date(),
                    "assessed_by_id": worker_id,
                    "homelessness": True,
                    "substance_misuse": True,
                    "offending": i % 2 == 0,
                    "mental_health": True,
                    "domestic_abuse": False,
                    "engagement": "not_engaging",
                    "stability": "unstable",
                    "derived_cohort": "core",
                    "recorded_at": at,
                }
            )
        if i % 10 == 0:
            concerns.append(
                {
                    "reference": f"K{seed % 100:02d}{pid:09d}",
                    "person_id": pid,
                    "raised_by_id": worker_id,
                    "raised_at": at,
                    "categories": ["neglect_and_acts_of_omission"],
                    "risk_location": "own_home",
                    "risk_source": "known_to_the_person",
                    "immediate_actions": "Visited",
                    "what_happened": "Missed visits",
                    "needs_advocate": False,
                    "capacity": "has_capacity",
                    "status": "awaiting_triage",
                    "triage_due_at": at + dt.timedelta(days=2),
                }
            )
        if i % 2 == 0:
            tasks.append(
                {
                    "person_id": pid,
                    "kind": "medication_review",
                    "title": "Review medicines",
                    "due_on": today + dt.timedelta(days=rng.randrange(-20, 40)),
                    "owner_user_id": worker_id,
                    "status": "open",
                }
            )
    _insert("consent_records", consents)
    _insert("medicines", medicines)
    _insert("needs_assessments", assessments)
    _insert("safeguarding_concerns", concerns)
    _insert("tasks", tasks)
    return ids


def add_queue(service_id: int, *, referrals: int = 1000, team_id: int, user_id: int, seed=13):
    """`referrals` open referrals to one service (routed or accepted), one person each."""
    rng = random.Random(seed)
    now = _now()
    ref = reference_data()
    tag = next(_counter)
    people = add_people(referrals, team_id=team_id, user_id=user_id)
    submissions = _insert(
        "referral_submissions",
        [{"person_id": pid, "submitted_by_id": user_id} for pid in people],
    )
    rows = []
    for i, (pid, submission_id) in enumerate(zip(people, submissions, strict=True)):
        received = now - dt.timedelta(hours=rng.randrange(1, 24 * 60))
        rows.append(
            {
                "reference": f"Q{tag % 1000:03d}{i:08d}",
                "submission_id": submission_id,
                "person_id": pid,
                "service_id": service_id,
                "source": "gp",
                "referrer_name": "Dr Morwenna Hicks",
                "referrer_contact": "01752 000000",
                "urgency": rng.choice(["urgent", "routine"]),
                "consent_to_share": True,
                "received_at": received,
                "due_at": received + dt.timedelta(days=rng.choice([1, 3, 10])),
                "status": "accepted" if i % 4 == 0 else "routed",
                "status_changed_at": received,
                "created_by_id": user_id,
                "created_at": received,
            }
        )
    ids = _insert("referrals", rows)
    _insert(
        "referral_needs",
        [
            {"referral_id": rid, "need_code": code}
            for rid in ids
            for code in rng.sample(ref["needs"], 2)
        ],
    )
    return ids


# --- The database the page benchmarks share (bench_record, bench_pages, bench_throughput) ---

KEY_WORKER = "bench-keyworker@caremap.example"
RECEIVER = "bench-reablement@caremap.example"
PASSWORD = "quiet-harbour-lantern-2026"
QUEUE_SERVICE = "reablement"

_shapes_table = sa.Table(
    "bench_shapes",
    sa.MetaData(),
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)


def default_people(url: str) -> int:
    backend = sa.engine.make_url(url).get_backend_name()
    default = "450000" if backend == "postgresql" else "50000"
    return int(os.environ.get("CAREMAP_BENCH_PEOPLE", default))


def background(people: int, team_id: int) -> str:
    """The rest of the city: the synthetic city when it is installed, else people only."""
    try:
        from caremap.synthetic import generate_city
    except ImportError:
        for start in range(0, people, 10_000):
            add_people(min(10_000, people - start), team_id=team_id)
        return "people-only bulk loader (caremap.synthetic not installed)"
    generate_city(people=people)
    return "synthetic city"


_built: dict[str, tuple] = {}


def pages_url(name: str = "pages") -> tuple[str, bool]:
    """The database for the page benchmarks, and whether to reuse what it holds.

    PostgreSQL: CAREMAP_BENCH_DATABASE_URL's server, database `<its name>_pages` (so the
    search benchmark's database is left alone); else a SQLite file in /tmp. It is dropped
    and made anew unless CAREMAP_BENCH_REUSE=1 and it holds the shapes already.
    """
    reuse = os.environ.get("CAREMAP_BENCH_REUSE", "") not in ("", "0", "false", "no")
    given = os.environ.get("CAREMAP_BENCH_DATABASE_URL")
    if given:
        parsed = sa.engine.make_url(given)
        database = parsed.database or "caremap_bench"
        if not database.endswith(f"_{name}"):
            database = f"{database}_{name}"
        url = parsed.set(database=database).render_as_string(hide_password=False)
    else:
        url = f"sqlite:////tmp/caremap-bench-{name}.sqlite3"
    if reuse and _has_shapes(url):
        return url, True
    if given:
        recreate_database(url)
    else:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    return url, False


def _has_shapes(url: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return sa.inspect(conn).has_table("bench_shapes")
    except sa.exc.OperationalError:  # no such database yet
        return False
    finally:
        engine.dispose()


def pages_database(name: str = "pages"):
    """The app on a database with the shapes: built once per process, or reused with
    CAREMAP_BENCH_REUSE=1 from an earlier run.

    Returns (app, url, shape, facts): shape holds the record person's id, the caseload's
    people and the queue's service code; the bench workers are KEY_WORKER and RECEIVER.
    """
    import time

    from benchmarks.common import migrated_app
    from caremap.auth.operations import create_user, team_by_code

    if name in _built:
        return _built[name]
    url, reuse = pages_url(name)
    people = default_people(url)
    app = migrated_app(url, WTF_CSRF_ENABLED=False)
    started = time.perf_counter()
    with app.app_context():
        source = "reused"
        if reuse:
            shape = dict(db.session.execute(sa.select(_shapes_table)).tuples().all())
        else:
            hub = team_by_code("complex-needs-hub")
            source = background(people, hub.id)
            db.session.commit()
            kim = create_user(
                actor=None,
                email=KEY_WORKER,
                full_name="Kim Bench",
                role="key_worker",
                team="complex-needs-hub",
                password=PASSWORD,
            )
            rhi = create_user(
                actor=None,
                email=RECEIVER,
                full_name="Rhiannon Bench",
                role="practitioner",
                team="reablement-plymouth",
                password=PASSWORD,
            )
            workers = add_workers(40, team_ids=reference_data()["teams"])
            record = add_people(1, team_id=hub.id, user_id=kim.id)[0]
            add_history(record, events=499, users=workers)  # + "Record registered" = 500
            _insert(
                "audit_events",
                [{"actor_id": kim.id, "action": "people.register", "person_id": record}],
            )
            _insert(
                "care_team_members",
                [{"person_id": record, "user_id": kim.id, "role": "Key worker", "is_lead": True}],
            )
            caseload = add_caseload(kim.id, people=199, team_id=hub.id)  # 200 with `record`
            service_id = db.session.scalar(
                sa.select(_t("services").c.id).where(_t("services").c.code == QUEUE_SERVICE)
            )
            add_queue(service_id, referrals=1000, team_id=rhi.team_id, user_id=rhi.id)
            shape = {
                "record_person": record,
                "caseload_people": [record, *caseload],
                "queue_service": QUEUE_SERVICE,
                "source": source,
            }
            _shapes_table.drop(db.session.connection(), checkfirst=True)
            _shapes_table.create(db.session.connection())
            db.session.execute(
                sa.insert(_shapes_table), [{"key": k, "value": v} for k, v in shape.items()]
            )
            db.session.commit()
            # Outside the web engine's statement limit, which would cancel it.
            if not vacuum_analyze(db.engine):
                db.session.execute(sa.text("ANALYZE"))
                db.session.commit()
        actual = db.session.scalar(sa.text("SELECT count(*) FROM people"))
    facts = {
        "people": actual,
        "source": shape["source"] if source == "reused" else source,
        "reused": source == "reused",
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    _built[name] = (app, url, shape, facts)
    return _built[name]


def sign_in(app, email: str):
    """A test client signed in as the bench worker."""
    client = app.test_client()
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client


def api_token(app, email: str) -> str:
    from caremap.auth.models import User
    from caremap.auth.operations import create_api_token

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        _, token = create_api_token(user=user, name="bench")
        db.session.commit()
    return token


def timed(client, path: str, *, repeats: int, warmup: int = 5, headers=None, engine=None):
    """GET path `repeats` times: (durations in ms, {cpu_p50_ms, statements}, status codes)."""
    import gc
    import time

    from sqlalchemy import event

    for _ in range(warmup):
        client.get(path, headers=headers)
    # As caremap.wsgi does once the app is loaded: what exists now (the app, and here the
    # data just built) is left out of later full collections, as in a gunicorn worker.
    gc.collect()
    gc.freeze()
    statements = [0]

    def count(*_args):
        statements[0] += 1

    if engine is not None:
        event.listen(engine, "before_cursor_execute", count)
    durations, cpu, codes = [], [], set()
    try:
        for _ in range(repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, headers=headers)
            durations.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            codes.add(response.status_code)
    finally:
        if engine is not None:
            event.remove(engine, "before_cursor_execute", count)
    # This process's CPU time per request (not the database's): less moved by the other
    # work on a shared machine than the wall-clock figures.
    extra = {
        "cpu_p50_ms": round(sorted(cpu)[len(cpu) // 2], 2),
        "statements": statements[0] / repeats,
    }
    return durations, extra, sorted(codes)
