"""Bulk import of people: `caremap import people` on a generated extract, at two sizes.

Each size runs the real command in a child process (so its peak RSS is its own), on an
empty database, then again on the same file (the idempotent second run). Reported: wall
and CPU time, rows a second, peak RSS (flat as the file grows: streamed, not loaded),
and the floor: the same people inserted by bare psycopg/sqlite3 executemany without
checks, duplicates or audit, on a fresh database. Goal: 100,000 people in under 60 s on
PostgreSQL with validation and the duplicate check.

    CAREMAP_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caremap_bench_import \
      .venv/bin/python -m benchmarks.run import
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from benchmarks.common import append_result, fresh_url, migrated_app
from caremap.imports.formats import PEOPLE_COLUMNS

SIZES = [int(s) for s in os.environ.get("CAREMAP_BENCH_IMPORT_SIZES", "20000,100000").split(",")]
GIVEN = [
    "Ann",
    "Bryn",
    "Cara",
    "Dai",
    "Elin",
    "Fion",
    "Gwen",
    "Huw",
    "Ifan",
    "Jago",
    "Kerra",
    "Lowen",
    "Morwenna",
    "Nessa",
    "Owen",
    "Peder",
    "Rhian",
    "Seren",
    "Tamsin",
    "Ula",
    "Vivian",
    "Wenna",
    "Yestin",
    "Zennor",
    "Aled",
    "Bethan",
    "Cadan",
    "Delyth",
    "Emlyn",
    "Ffion",
    "Gethin",
    "Hedd",
    "Iestyn",
    "Jenna",
    "Keir",
    "Llinos",
    "Mabli",
    "Nia",
    "Osian",
    "Perran",
]
SYLLABLES = [
    "pen",
    "tre",
    "pol",
    "lan",
    "car",
    "bos",
    "ros",
    "hen",
    "nan",
    "mor",
    "gwyn",
    "ker",
    "ven",
    "bal",
    "tol",
    "wen",
    "dar",
    "kel",
    "lis",
    "mar",
    "tor",
    "ham",
    "ber",
    "fal",
    "gel",
    "hal",
    "jen",
    "kor",
    "lew",
    "mew",
    "nor",
    "por",
    "rew",
    "san",
    "tew",
    "vel",
    "wol",
    "yar",
    "zen",
]
ADMIN = "bench-import-admin@bench.example"
CAREMAP = str(Path(sys.executable).parent / "caremap")


def nhs_number(n: int) -> str | None:
    body = f"999{n % 1_000_000:06d}"
    total = sum(int(d) * w for d, w in zip(body, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else body + str(check)


def write_extract(path: Path, people: int, seed: int = 7) -> None:
    """Made-up people (three-syllable surnames, dates over ninety years, postcodes over a
    city); 3% are a person already in the file again under another source id with the
    same NHS number (confident links), as an extract from two merged systems has."""
    rng = random.Random(seed)
    made: list[dict[str, str]] = []
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(PEOPLE_COLUMNS)
        for i in range(people):
            if made and rng.random() < 0.03:
                row = dict(rng.choice(made))
            else:
                family = "".join(rng.choice(SYLLABLES) for _ in range(3)).title()
                born = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(90 * 365))
                row = {
                    "given_name": rng.choice(GIVEN),
                    "family_name": family,
                    "date_of_birth": born.isoformat(),
                    "sex": rng.choice(["female", "male", "unknown"]),
                    "nhs_number": nhs_number(rng.randrange(10**6)) or "",
                    "postcode": f"PL{rng.randrange(1, 10)} {rng.randrange(10)}"
                    f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
                    "town": "Plymouth",
                }
                if len(made) < 50_000:
                    made.append(row)
            row["source_system"] = "urn:bench:extract"
            row["source_id"] = f"S{i:08d}"
            writer.writerow([row.get(c, "") for c in PEOPLE_COLUMNS])


class ServerCpu:
    """CPU seconds of the PostgreSQL backends serving one database, polled from /proc
    while the import runs (a backend's time is lost when it exits, so the last reading of
    each is kept). The import's own process is only half the work: the database's
    inserts, index and trigger upkeep happen here."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.seen: dict[int, float] = {}
        self.running = False
        self.tick = os.sysconf("SC_CLK_TCK")

    def _poll(self) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                if f" {self.database} " not in title.replace("\x00", " "):
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[int(pid)] = (int(fields[11]) + int(fields[12])) / self.tick

    def __enter__(self) -> ServerCpu:
        if self.database:
            self.running = True
            self.thread = threading.Thread(target=self._loop, daemon=True)
            self.thread.start()
        return self

    def _loop(self) -> None:
        while self.running:
            self._poll()
            time.sleep(0.2)

    def __exit__(self, *_: object) -> None:
        if self.running:
            self.running = False
            self.thread.join()

    @property
    def seconds(self) -> float | None:
        return round(sum(self.seen.values()), 2) if self.database else None


def run_import(url: str, path: Path) -> dict:
    env = {
        **os.environ,
        "CAREMAP_DATABASE_URL": url,
        "CAREMAP_LOG_LEVEL": "WARNING",
        "CAREMAP_SECRET_KEY": os.environ.get("CAREMAP_SECRET_KEY", secrets.token_hex(32)),
    }
    parsed = sa.engine.make_url(url)
    database = parsed.database if parsed.get_backend_name() == "postgresql" else None
    start = time.perf_counter()
    with ServerCpu(database) as server, tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen(
            [CAREMAP, "import", "people", str(path), "--as", ADMIN],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        # wait4: this child's own CPU time and peak RSS, not the largest child's so far
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    wall = time.perf_counter() - start
    if child.returncode != 0:
        raise RuntimeError(output[-2000:])
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "server_cpu_s": server.seconds,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "summary": output.strip().splitlines()[-1],
    }


def floor(url: str, path: Path) -> float:
    """The same rows inserted with bare DBAPI executemany: no checks, no audit."""
    engine = sa.create_engine(url)
    with path.open(newline="") as handle:
        rows = [
            (r["given_name"], r["family_name"], r["date_of_birth"], r["postcode"], f"F{i:09d}")
            for i, r in enumerate(csv.DictReader(handle))
        ]
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TEMPORARY TABLE floor_people (given_name text, family_name text, "
            "date_of_birth date, postcode text, local_ref text)"
        )
        start = time.perf_counter()
        connection.exec_driver_sql(
            "INSERT INTO floor_people VALUES (%s, %s, %s, %s, %s)"
            if engine.dialect.name == "postgresql"
            else "INSERT INTO floor_people VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        took = time.perf_counter() - start
    engine.dispose()
    return round(took, 2)


def main() -> None:
    from caremap.auth.operations import create_user
    from caremap.core.extensions import db

    results = {}
    for size in SIZES:
        url = fresh_url(f"import-{size}")
        app = migrated_app(url)
        with app.app_context():
            create_user(
                actor=None,
                email=ADMIN,
                full_name="Import Benchmark",
                role="admin",
                team="caremap-administration",
                password="correct horse battery staple 42",
            )
            db.session.commit()
            db.engine.dispose()
        path = Path(f"/tmp/caremap-bench-import-{size}.csv")
        write_extract(path, size)
        first = run_import(url, path)
        second = run_import(url, path)
        results[str(size)] = {
            "first": {**first, "rows_per_s": round(size / first["wall_s"])},
            "again": second,
            "floor_insert_s": floor(url, path),
            "file_mb": round(path.stat().st_size / 2**20, 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        print(size, results[str(size)], flush=True)
    append_result(
        "import",
        url,
        max(SIZES),
        results,
        load_average=[round(x, 2) for x in os.getloadavg()],
    )


if __name__ == "__main__":
    main()
