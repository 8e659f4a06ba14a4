"""`caremap indicators …`: the figures for a period, printed or written, and snapshots."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.indicators import exports
from caremap.indicators.audit import record_export
from caremap.indicators.compute import compute_indicators
from caremap.indicators.models import IndicatorSnapshot
from caremap.indicators.periods import parse_period
from caremap.indicators.queries import check_filters
from caremap.indicators.results import Filters
from caremap.indicators.snapshots import compare_with_snapshot, take_snapshot
from caremap.indicators.stored import close_periods
from caremap.indicators.title import About

FORMATS = ("csv", "xlsx", "json", "fhir")
PERIOD_HELP = (
    "2025-26 (financial year), 2025-26-Q3 or '2025-26 Q3' (its third quarter, "
    "October–December 2025; the calendar form 2025-Q4 is read too) or 2025-10 (a month)"
)


def _period_and_filters(period: str, strand: str | None, service: str | None, area: str | None):
    try:
        return parse_period(period), Filters(strand=strand, service=service, area=area)
    except DomainError as error:
        click.echo(f"{error.field}: {error.message}", err=True)
        sys.exit(2)


def _filter_options(command):
    for name, help_text in (
        ("--area", "an area's ONS code, e.g. E06000026 for Plymouth"),
        ("--service", "a service code from seed/catalogue.json"),
        ("--strand", "a strand code, e.g. urgent_care"),
    ):
        command = click.option(name, default=None, help=help_text)(command)
    return command


@click.group("indicators")
def indicators() -> None:
    """System performance indicators."""


@indicators.command("report")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--format", "format_", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="write here instead of printing")
@_filter_options
@with_appcontext
def report(period, format_, out, area, service, strand) -> None:
    """Compute every indicator for a period and print or write it as CSV, Excel, JSON or FHIR."""
    if format_ == "xlsx" and not out:
        click.echo("out: an Excel workbook must be written to a file (--out report.xlsx)", err=True)
        sys.exit(2)
    chosen, filters = _period_and_filters(period, strand, service, area)
    results = compute_indicators(period=chosen, filters=filters)
    body = exports.render(format_, results, About.of(None, filters))
    record_export(None, format_=format_, period=chosen, filters=filters)
    db.session.commit()
    if out:
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        Path(out).write_bytes(data)
        click.echo(f"Wrote {len(results)} indicators for {chosen.label} to {out}.", err=True)
    else:
        click.echo(body if isinstance(body, str) else body.decode("utf-8"), nl=False)


@indicators.command("snapshot")
@click.option("--period", required=True, help=PERIOD_HELP)
@click.option("--label", default=None, help="what the snapshot is for, e.g. 'Board, July'")
@_filter_options
@with_appcontext
def snapshot(period, label, area, service, strand) -> None:
    """Compute and keep a period's figures, so a board report quoting them never changes."""
    chosen, filters = _period_and_filters(period, strand, service, area)
    kept = take_snapshot(actor=None, period=chosen, filters=filters, label=label)
    db.session.commit()
    click.echo(
        f"Snapshot {kept.id} of {chosen.label} ({chosen.code}) taken at "
        f"{kept.computed_at:%Y-%m-%d %H:%M} UTC."
    )


@indicators.command("changes")
@click.argument("snapshot_id", type=int)
@with_appcontext
def changes(snapshot_id: int) -> None:
    """What changed since a snapshot, and which people's records moved each figure."""
    kept = db.session.get(IndicatorSnapshot, snapshot_id)
    if kept is None:
        click.echo(f"snapshot_id: there is no snapshot {snapshot_id}", err=True)
        sys.exit(2)
    found = compare_with_snapshot(kept)
    if not found:
        click.echo(f"Nothing has changed since snapshot {snapshot_id}.")
    for change in found:
        click.echo(f"{change.code}: {change.before['value']} -> {change.after['value']}")
        for part in ("numerator", "denominator"):
            added = getattr(change, f"added_to_{part}")
            removed = getattr(change, f"removed_from_{part}")
            if added or removed:
                click.echo(
                    f"  {part}: +{len(added)} people {added[:20]}, -{len(removed)} {removed[:20]}"
                )


@indicators.command("close-periods")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="store periods starting on or after this day (default: six financial years back)",
)
@click.option(
    "--all", "everything", is_flag=True, help="recompute every closed period, not only those due"
)
@_filter_options
@with_appcontext
def close_periods_command(since, everything, area, service, strand) -> None:
    """Store the figures of every closed month, quarter and financial year, so dashboards
    and trends read them and only the open period is computed live.

    Run it daily (and on demand): it fills periods and indicators not stored yet and
    recomputes those that ended in the last 120 days (SETTLING_DAYS), as late records arrive;
    repeating it changes nothing. Each period is committed as it is stored."""
    filters = Filters(strand=strand, service=service, area=area)
    started = time.perf_counter()

    def progress(period, done: int, total: int) -> None:
        click.echo(f"  {done}/{total} {period.code}", err=True)

    try:
        check_filters(filters)
        work = close_periods(
            since=since.date() if isinstance(since, dt.datetime) else None,
            filters=filters,
            everything=everything,
            commit=True,
            progress=progress,
        )
    except DomainError as error:
        db.session.rollback()
        click.echo(f"{error.field}: {error.message}", err=True)
        sys.exit(2)
    click.echo(
        f"Stored {work.figures:,} figures of {len(work.work)} closed periods "
        f"in {time.perf_counter() - started:.1f} s."
    )
