"""`caremap indicators …`: the figures for a period, printed or written, and snapshots."""

from __future__ import annotations

import sys
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
from caremap.indicators.results import Filters
from caremap.indicators.snapshots import compare_with_snapshot, take_snapshot

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
    body = exports.render(format_, results)
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
