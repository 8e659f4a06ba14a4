"""Producing the returns: each one audited, since its figures (and, for CLD, every
person's details in it) leave caremap for the Department of Health and Social Care.

A return file is one disclosure under the Directions, not a reading of each record: the
audit row names who produced which return for which period, how many rows and people it
held and the SHA-256 of the file, so the file sent can be matched afterwards (the record
reproduces it). People whose details a page shows (the records to fix, the enquiries
behind a cell) are audited one read row each, as any list of people is.

The rows of a return are read from the streaming replica when one is configured
(core/replica.py, docs/scaling.md): a return covers months that ended before it is
made, so a replica's lag of milliseconds changes nothing in it. The audit row of each
return is written after the reads, on the primary.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import IO, Any

from caremap.audit import operations as audit
from caremap.core.extensions import db
from caremap.indicators.periods import Period
from caremap.returns import cld, files, quality, sac
from caremap.returns.periods import Window


class _Hashing:
    """Passes text through to a file while hashing what was written."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.digest = hashlib.sha256()

    def write(self, text: str) -> int:
        self.digest.update(text.encode("utf-8"))
        return self.out.write(text)


def _counted(rows: Iterator[cld.EventRow], people: set[int]) -> Iterator[cld.EventRow]:
    for row in rows:
        people.add(row.person_id)
        yield row


def produce_cld(*, actor: Any, quarter: Period, out: IO[str]) -> dict[str, Any]:
    """Write the CLD file for the 12 months ending with `quarter` and audit it."""
    people: set[int] = set()
    hashing = _Hashing(out)
    with db.reads_from_replica():
        rows = files.write_cld(_counted(cld.event_rows(quarter), people), hashing)
    window = Window.ending_with(quarter)
    summary = {
        "quarter": quarter.code,
        "from": window.start.isoformat(),
        "to": window.end.isoformat(),
        "rows": rows,
        "people": len(people),
        "sha256": hashing.digest.hexdigest(),
    }
    audit.record(actor, "returns.cld.produce", changes=summary)
    return summary


def check_cld(*, actor: Any, quarter: Period) -> quality.Quality:
    """The national validation over the rows the file would hold, before it is made."""
    with db.reads_from_replica():
        result = quality.check(cld.event_rows(quarter))
    audit.record(
        actor,
        "returns.cld.check",
        changes={"quarter": quarter.code, "rows": result.rows, "failed": result.failed},
    )
    return result


def produce_sac(*, actor: Any, year: Period, format_: str | None = None) -> sac.SacReturn:
    """The SAC tables for a financial year; `format_` names the file made of them (xlsx
    or csv), or None when they are only shown."""
    with db.reads_from_replica():
        result = sac.build(year)
    changes = {
        "year": year.code,
        "concerns": result.count("SG1f", "concerns", "count"),
        "section_42_enquiries": result.count("SG1f", "s42", "count"),
    }
    if format_:
        changes["format"] = format_
    audit.record(actor, "returns.sac.produce" if format_ else "returns.sac.view", changes=changes)
    return result


def sac_file(result: sac.SacReturn, format_: str) -> bytes:
    if format_ == "xlsx":
        return files.sac_workbook(result)
    out = io.StringIO()
    files.write_sac_csv(result, out)
    return out.getvalue().encode("utf-8")
