"""`caremap returns …`: the CLD file for a quarter and the SAC tables for a year."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from caremap.core.errors import DomainError
from caremap.core.extensions import db
from caremap.returns import operations, rules, sac
from caremap.returns.periods import financial_year, quarter


def _refuse(error: DomainError) -> None:
    click.echo(f"{error.field}: {error.message}", err=True)
    sys.exit(2)


@click.group("returns")
def returns() -> None:
    """The statutory adult social care returns: CLD (quarterly) and SAC (yearly)."""


@returns.command("cld")
@click.option("--quarter", "code", required=True, help="2026-Q2 (April to June 2026) or 2026-27-Q1")
@click.option("--out", type=click.Path(dir_okay=False), help="write here instead of printing")
@click.option("--check/--no-check", default=True, help="print the data-quality summary too")
@with_appcontext
def cld_command(code: str, out: str | None, check: bool) -> None:
    """The CLD file for the 12 months ending with the quarter (CSV, Release 2 field names)."""
    try:
        period = quarter(code)
    except DomainError as error:
        _refuse(error)
    if out:
        with Path(out).open("w", encoding="utf-8", newline="") as handle:
            summary = operations.produce_cld(actor=None, quarter=period, out=handle)
    else:
        summary = operations.produce_cld(actor=None, quarter=period, out=sys.stdout)
    if check:
        result = operations.check_cld(actor=None, quarter=period)
        for field in result.failing_fields():
            failed = sum(result.counts[field.name][r] for r in rules.FAILED)
            click.echo(f"  {field.name}: {failed} failed", err=True)
        click.echo(
            "Valid: every field passes." if result.is_valid else f"{result.failed} failed values.",
            err=True,
        )
    db.session.commit()
    click.echo(
        f"{summary['rows']} events of {summary['people']} people, {summary['from']} to "
        f"{summary['to']}{f' written to {out}' if out else ''}.",
        err=True,
    )


@returns.command("sac")
@click.option("--year", "code", required=True, help="a financial year, e.g. 2025-26")
@click.option("--out", type=click.Path(dir_okay=False), help="a .xlsx or .csv file")
@with_appcontext
def sac_command(code: str, out: str | None) -> None:
    """The SAC tables for a financial year: a workbook (a sheet a table) or CSV."""
    try:
        period = financial_year(code)
    except DomainError as error:
        _refuse(error)
    format_ = "xlsx" if out and out.endswith(".xlsx") else "csv"
    result = operations.produce_sac(actor=None, year=period, format_=format_)
    body = operations.sac_file(result, format_)
    db.session.commit()
    for problem in sac.checks(result):
        click.echo(f"  {problem}", err=True)
    if out:
        Path(out).write_bytes(body)
        click.echo(f"Wrote the SAC tables for {period.label} to {out}.", err=True)
    else:
        click.echo(body.decode("utf-8"), nl=False)
