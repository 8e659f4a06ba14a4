"""Two throwaway PostgreSQL clusters on this machine: a primary, and a hot standby made
from it by `pg_basebackup`, streaming its WAL. For the replica test, and `make test-replica`.

The test's own primary rather than the server at 127.0.0.1:5432: that one (as packaged)
allows no replication connections, and a test must not change a server's pg_hba.conf.
Both clusters live in a temporary directory, listen on free ports on 127.0.0.1 only,
and are stopped and deleted afterwards. PostgreSQL refuses to run as root, so as root
the server programs run as the `postgres` user.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa


def server_programs() -> Path | None:
    """The directory of initdb, pg_ctl and pg_basebackup, or None when not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl") and shutil.which("pg_basebackup"):
        return Path(found).resolve().parent
    for directory in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all((Path(directory) / p).exists() for p in ("initdb", "pg_ctl", "pg_basebackup")):
            return Path(directory)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Clusters:
    def __init__(self) -> None:
        self.bin = server_programs()
        if self.bin is None:
            raise RuntimeError("initdb, pg_ctl and pg_basebackup are not installed")
        self.root = Path(tempfile.mkdtemp(prefix="caremap-replica-"))
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self.primary_port = _free_port()
        self.replica_port = _free_port()
        self.started: list[Path] = []

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stdout}\n{done.stderr}")

    def _configure(self, data: Path, port: int) -> None:
        with (data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                # a throwaway cluster: durability buys nothing here
                "fsync = off\nfull_page_writes = off\nshared_buffers = 32MB\n"
                "max_connections = 40\n"
            )

    def _start(self, data: Path) -> None:
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.root / f"{data.name}.log"), "-w", "start"
        )
        self.started.append(data)

    def url(self, port: int, database: str = "caremap") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{database}"

    def start_primary(self) -> str:
        data = self.root / "primary"
        self._run(
            "initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--locale=C.UTF-8",
        )  # fmt: skip
        # initdb's pg_hba.conf lets local and 127.0.0.1 replication connections in
        self._configure(data, self.primary_port)
        self._start(data)
        admin = sa.create_engine(
            self.url(self.primary_port, "postgres"), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.exec_driver_sql("CREATE DATABASE caremap")
        admin.dispose()
        return self.url(self.primary_port)

    def start_replica(self) -> str:
        """A hot standby from a base backup of the primary, streaming from it (-R writes
        standby.signal and primary_conninfo)."""
        data = self.root / "replica"
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
            "-D", str(data), "-X", "stream", "-R", "--checkpoint=fast",
        )  # fmt: skip
        self._configure(data, self.replica_port)
        self._start(data)
        return self.url(self.replica_port)

    def stop(self, which: str) -> None:
        data = self.root / which
        self._run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")
        self.started.remove(data)

    def wait_for_replay(self, timeout: float = 30) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        primary = sa.create_engine(self.url(self.primary_port), poolclass=sa.pool.NullPool)
        replica = sa.create_engine(self.url(self.replica_port), poolclass=sa.pool.NullPool)
        try:
            with primary.connect() as conn:
                target = conn.exec_driver_sql("SELECT pg_current_wal_lsn()").scalar()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                with replica.connect() as conn:
                    caught_up = conn.exec_driver_sql(
                        "SELECT pg_last_wal_replay_lsn() >= %(lsn)s::pg_lsn", {"lsn": target}
                    ).scalar()
                if caught_up:
                    return
                time.sleep(0.1)
            raise TimeoutError(f"the replica did not replay up to {target} in {timeout} s")
        finally:
            primary.dispose()
            replica.dispose()

    def close(self) -> None:
        for data in list(self.started):
            with contextlib.suppress(RuntimeError):
                self.stop(data.name)
        shutil.rmtree(self.root, ignore_errors=True)


def run_on(url: str, sql: str, **params):
    """One statement on one server (autocommit): its rows, or None."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            result = conn.execute(sa.text(sql), params)
            return result.all() if result.returns_rows else None
    finally:
        engine.dispose()


def statements_seen(engine: sa.Engine, into: list[str]):
    """Collect the statements the engine sends into `into`; returns the way to stop."""

    def seen(conn, cursor, statement, *_):
        into.append(statement)

    sa.event.listen(engine, "before_cursor_execute", seen)
    return lambda: sa.event.remove(engine, "before_cursor_execute", seen)
