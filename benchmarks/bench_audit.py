"""The tamper-evident audit trail: what the HMAC adds to each audit write, whether
concurrent writers wait on each other, and how long sealing and verifying take.

    python -m benchmarks.run audit
    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_audit \
    CAREMAP_BENCH_AUDIT_ROWS=1000000 python -m benchmarks.run audit

Figures, each beside its floor in the same run:
- one audit row written and committed as a request writes it (`audit.record`, with its
  HMAC), the same row as it was written before the HMAC, and the same INSERT and COMMIT
  on the bare driver, wall and CPU time;
- the HMAC alone, per row;
- rows a second from 1 and from 4 threads writing at once (no chain head to wait on:
  the chain is made afterwards by `seal`);
- `seal` and `verify` over CAREMAP_BENCH_AUDIT_ROWS rows (default 200,000).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

import sqlalchemy as sa

from benchmarks.common import append_result, fresh_url, migrated_app, summary_ms

WRITES = 2000
LATER = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)


def _timed_writes(app, count: int) -> tuple[list[float], float]:
    from caremap import audit
    from caremap.core.extensions import db

    durations = []
    cpu = time.process_time()
    with app.app_context():
        for n in range(count):
            started = time.perf_counter()
            audit.record(None, "people.view", changes={"n": n}, reason="benchmark")
            db.session.commit()
            durations.append((time.perf_counter() - started) * 1000)
    return durations, (time.process_time() - cpu) * 1000 / count


def _timed_writes_before(app, count: int) -> tuple[list[float], float]:
    """The write as it was before the HMAC (the same row through the ORM, no MAC)."""
    from caremap.audit.models import AuditEvent
    from caremap.core.extensions import db

    durations = []
    cpu = time.process_time()
    with app.app_context():
        for n in range(count):
            started = time.perf_counter()
            db.session.add(
                AuditEvent(
                    at=dt.datetime.now(dt.UTC),
                    action="people.view",
                    changes={"n": n},
                    reason="benchmark",
                )
            )
            db.session.commit()
            durations.append((time.perf_counter() - started) * 1000)
    return durations, (time.process_time() - cpu) * 1000 / count


def _bare_writes(url: str, count: int) -> tuple[list[float], float]:
    """The same INSERT and COMMIT on the bare driver: the floor."""
    engine = sa.create_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    mark = "%s" if engine.dialect.name == "postgresql" else "?"
    sql = (
        "INSERT INTO audit_events (at, actor_id, action, person_id, reason, changes, "
        f"request_id, mac) VALUES ({', '.join([mark] * 8)})"
    )
    durations = []
    cpu = time.process_time()
    for n in range(count):
        started = time.perf_counter()
        at = dt.datetime.now(dt.UTC)
        if engine.dialect.name == "sqlite":
            at = at.replace(tzinfo=None)
        cursor.execute(
            sql, (at, None, "people.view", None, "benchmark", f'{{"n": {n}}}', None, None)
        )
        raw.commit()
        durations.append((time.perf_counter() - started) * 1000)
    raw.close()
    engine.dispose()
    return durations, (time.process_time() - cpu) * 1000 / count


def _hmac_alone(count: int) -> float:
    from caremap.audit.integrity import row_mac

    row = {
        "at": dt.datetime.now(dt.UTC),
        "actor_id": 12,
        "action": "people.view",
        "person_id": 3401,
        "reason": None,
        "changes": {"access": "full", "because": "care_team"},
        "request_id": "0f" * 16,
    }
    key = b"k" * 40
    started = time.perf_counter()
    for _ in range(count):
        row_mac(key, row)
    return (time.perf_counter() - started) * 1_000_000 / count


def _threads(app, threads: int, per_thread: int) -> float:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _timed_writes(app, per_thread)
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors
    return threads * per_thread / (time.perf_counter() - started)


def _bulk_rows(app, count: int) -> None:
    """Rows as the app writes them (each with its HMAC), in bulk, to seal and verify."""
    from caremap.audit.integrity import audit_key, row_mac
    from caremap.audit.models import AuditEvent
    from caremap.core.extensions import db

    with app.app_context():
        key = audit_key()
        start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        for first in range(0, count, 20_000):
            rows = []
            for n in range(first, min(count, first + 20_000)):
                row = {
                    "at": start + dt.timedelta(seconds=n),
                    "actor_id": None,
                    "action": "people.view",
                    "person_id": None,
                    "reason": None,
                    "changes": {"access": "full", "because": "care_team", "n": n},
                    "request_id": None,
                }
                row["mac"] = row_mac(key, row)
                rows.append(row)
            db.session.execute(sa.insert(AuditEvent), rows)
            db.session.commit()


def main() -> dict:
    from caremap.audit.integrity import seal, verify
    from caremap.core.extensions import db

    url = fresh_url("audit")
    app = migrated_app(url, AUDIT_KEY="b" * 40, AUDIT_SEAL_AFTER_SECONDS=0)
    results: dict = {}
    durations, cpu_ms = _timed_writes(app, WRITES)
    results["record_and_commit"] = {**summary_ms(durations), "cpu_ms_per_row": round(cpu_ms, 3)}
    before, before_cpu = _timed_writes_before(app, WRITES)
    results["before_hmac_record_and_commit"] = {
        **summary_ms(before),
        "cpu_ms_per_row": round(before_cpu, 3),
    }
    floor, floor_cpu = _bare_writes(url, WRITES)
    results["floor_bare_insert_commit"] = {
        **summary_ms(floor),
        "cpu_ms_per_row": round(floor_cpu, 3),
    }
    results["hmac_alone_us"] = round(_hmac_alone(20_000), 2)
    results["rows_per_s_1_thread"] = round(_threads(app, 1, 1000))
    results["rows_per_s_4_threads"] = round(_threads(app, 4, 500))
    rows = int(os.environ.get("CAREMAP_BENCH_AUDIT_ROWS", "200000"))
    _bulk_rows(app, rows)
    with app.app_context():
        started, cpu = time.perf_counter(), time.process_time()
        sealed = seal(now=LATER)
        db.session.commit()
        results["seal_s"] = round(time.perf_counter() - started, 2)
        results["seal_cpu_s"] = round(time.process_time() - cpu, 2)
        started, cpu = time.perf_counter(), time.process_time()
        checked = verify()
        results["verify_s"] = round(time.perf_counter() - started, 2)
        results["verify_cpu_s"] = round(time.process_time() - cpu, 2)
        assert checked.ok, checked.problems[:3]
        results["rows_checked"] = checked.rows
        results["rows_sealed"] = sealed
    for name, value in results.items():
        print(f"{name:26} {value}", flush=True)
    return append_result(
        "audit", url, 0, results, load_average=[round(x, 2) for x in os.getloadavg()]
    )


if __name__ == "__main__":
    main()
