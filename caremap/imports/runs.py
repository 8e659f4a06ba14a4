"""What every import shares: the file read as a stream, its checksum, the header check,
batches committed one by one, the problems kept, and the summary at the end."""

from __future__ import annotations

import codecs
import csv
import enum
import hashlib
import itertools
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import IO, Any

import sqlalchemy as sa

from caremap.auth.models import User
from caremap.core.db import utcnow
from caremap.core.extensions import db
from caremap.core.maintenance import StatisticsKeeper, vacuum_analyze
from caremap.imports.enums import ImportKind, RunStatus
from caremap.imports.formats import CheckedRow, Problem, check_header
from caremap.imports.models import ImportProblem, ImportRun

CHUNK = 1 << 20
Progress = Callable[[int], None]  # told the bytes read so far


def file_sha256(file: IO[bytes]) -> str:
    """The file's checksum, read in chunks (memory stays flat), then back to its start."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: file.read(CHUNK), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class _Lines:
    """The file's lines decoded as UTF-8 (a byte order mark dropped), counting the bytes
    read so a progress bar can say how far it is and how long is left."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.bytes_read = 0
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def __iter__(self) -> Iterator[str]:
        for raw in self.file:
            self.bytes_read += len(raw)
            yield self.decoder.decode(raw)


class BadEncoding(Exception):
    pass


def start_run(*, actor: User, kind: ImportKind, filename: str, sha256: str) -> ImportRun:
    run = ImportRun(kind=kind, filename=filename[:255], sha256=sha256, actor_id=actor.id)
    db.session.add(run)
    db.session.flush()
    return run


def read_rows(
    *,
    run: ImportRun,
    file: IO[bytes],
    columns: tuple[str, ...],
    required: list[str],
    check: Callable[[int, dict[str, str]], CheckedRow],
    progress: Progress | None,
    checker: Executor | None = None,
) -> Iterator[tuple[CheckedRow, int]]:
    """Each row checked, with the bytes read so far. A wrong header refuses the whole
    file (the run says why, and no row is read); a row with more cells than the header
    is a problem of that row. With a `checker` (a process pool: the command line gives
    one) rows are checked there, a few chunks ahead, while this process writes the
    batches already checked, so the two cores work side by side."""
    rows = _raw_rows(run, file, columns, required)
    checked = _checked_here(rows, check) if checker is None else _checked_by(rows, check, checker)
    for row, bytes_read in checked:
        yield row, bytes_read
        if progress is not None:
            progress(bytes_read)


_Raw = tuple[int, "dict[str, str] | CheckedRow", int]  # line, cells by column or a problem, bytes


def _raw_rows(
    run: ImportRun, file: IO[bytes], columns: tuple[str, ...], required: list[str]
) -> Iterator[_Raw]:
    lines = _Lines(file)
    reader = csv.reader(iter(lines))
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        header = None
        run.refusal = "The file is not UTF-8 text: save it as CSV UTF-8 and import it again"
    refusal = run.refusal or check_header(header, columns, required)
    if refusal:
        run.status = RunStatus.REFUSED
        run.refusal = refusal
        return
    names = [h.strip() for h in header]
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError:
            raise BadEncoding(f"The file stops being UTF-8 text after line {line - 1}") from None
        except csv.Error as error:
            problem = Problem(line, "_row", f"is not valid CSV: {error}")
            yield line, CheckedRow(line, problems=[problem]), lines.bytes_read
            line = reader.line_num + 1
            continue
        if not any(cell.strip() for cell in cells):
            line = reader.line_num + 1
            continue  # a blank line, as spreadsheets leave at the end
        if len(cells) != len(names):
            reason = f"has {len(cells)} cells where the header names {len(names)} columns"
            yield line, CheckedRow(line, problems=[Problem(line, "_row", reason)]), lines.bytes_read
        else:
            yield line, dict(zip(names, cells, strict=True)), lines.bytes_read
        line = reader.line_num + 1


def _checked_here(rows: Iterator[_Raw], check: Callable) -> Iterator[tuple[CheckedRow, int]]:
    for line, raw, bytes_read in rows:
        yield (raw if isinstance(raw, CheckedRow) else check(line, raw)), bytes_read


CHECK_CHUNK = 500  # rows a worker checks at once
CHUNKS_AHEAD = 4  # chunks in flight: enough to keep the worker busy, few enough to stay small


def _checked_by(
    rows: Iterator[_Raw], check: Callable, checker: Executor
) -> Iterator[tuple[CheckedRow, int]]:
    in_flight: deque[tuple[list[_Raw], Future]] = deque()
    while True:
        chunk = list(itertools.islice(rows, CHECK_CHUNK))
        if chunk:
            to_check = [(line, raw) for line, raw, _ in chunk if not isinstance(raw, CheckedRow)]
            in_flight.append((chunk, checker.submit(check_all, check, to_check)))
        if in_flight and (len(in_flight) >= CHUNKS_AHEAD or not chunk):
            done, future = in_flight.popleft()
            results = iter(future.result())
            for _line, raw, bytes_read in done:
                yield (raw if isinstance(raw, CheckedRow) else next(results)), bytes_read
        elif not chunk:
            return


def check_all(check: Callable, rows: list[tuple[int, dict[str, str]]]) -> list[CheckedRow]:
    """A chunk of rows checked in a worker process (module level, so it can be sent)."""
    return [check(line, raw) for line, raw in rows]


def import_in_batches(
    run: ImportRun,
    rows: Iterator[tuple[CheckedRow, int]],
    *,
    counts: Counter,
    batch_size: int,
    import_batch: Callable[[list[CheckedRow]], list[CheckedRow]],
    tables: tuple[str, ...],
) -> ImportRun:
    """The loop every import shares: rows gathered into batches, each imported and
    committed (the rows `import_batch` returns go round again with the next), the touched
    tables analysed as they grow, and the run finished with its summary."""
    statistics = StatisticsKeeper(db.session, tables)
    batch: list[CheckedRow] = []
    try:
        for row, _ in rows:
            counts["read"] += 1
            batch.append(row)
            if len(batch) >= batch_size:
                batch = import_batch(batch)
                statistics.written(counts["read"])
                db.session.commit()
        while batch:
            batch = import_batch(batch)
            db.session.commit()
    except BadEncoding as error:
        db.session.rollback()
        run.status, run.refusal = RunStatus.REFUSED, str(error)
    return finish_run(run, counts, tables=tables)


def keep_problems(run: ImportRun, rows: list[CheckedRow]) -> int:
    """Write each problem of the rows refused (one statement); returns how many rows."""
    problems = [
        {"import_run_id": run.id, "line": p.line, "field": p.field[:60], "reason": p.reason[:500]}
        for row in rows
        for p in row.problems
    ]
    if problems:
        db.session.execute(sa.insert(ImportProblem), problems)
    return sum(1 for row in rows if row.problems)


def finish_run(run: ImportRun, counts: Counter, *, tables: tuple[str, ...]) -> ImportRun:
    """The summary kept on the run; on PostgreSQL the touched tables are vacuumed and
    analysed, so the planner knows the rows an import of this size added."""
    run.summary = dict(sorted(counts.items()))
    if run.status == RunStatus.RUNNING:
        run.status = RunStatus.FINISHED
    run.finished_at = utcnow()
    db.session.commit()
    vacuum_analyze(db.engine, tables)
    return run


def insert_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert rows into a model's table inside the session's transaction: COPY on
    PostgreSQL (one statement, so a statement-level trigger such as people's name-word
    dictionary fires once, and no SQL text a thousand rows long to parse), one
    executemany elsewhere. Rows give the same columns, and every column with a Python
    default (COPY applies none)."""
    if not rows:
        return
    table = model.__table__
    if db.engine.dialect.name != "postgresql":
        db.session.execute(sa.insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    json_columns = {c.name for c in table.columns if isinstance(c.type, sa.JSON)}
    cursor = db.session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_copy_value(row[c], c in json_columns) for c in columns])


def _copy_value(value: Any, is_json: bool) -> Any:
    if is_json:
        return None if value is None else json.dumps(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def summary_line(summary: dict[str, Any]) -> str:
    return ", ".join(f"{key.replace('_', ' ')}: {value:,}" for key, value in summary.items())
