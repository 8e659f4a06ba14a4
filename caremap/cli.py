"""The `caremap` command line."""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from caremap.config import PROJECT_ROOT


def _create_app():
    from caremap.app import create_app

    # Batch work (seeding a city, snapshots) runs past the statement limit that keeps a
    # web request from hanging; connecting and pool limits still apply.
    return create_app({"DATABASE_STATEMENT_TIMEOUT_MS": 0})


@click.group(
    cls=FlaskGroup, create_app=_create_app, add_version_option=False, add_default_commands=False
)
def cli() -> None:
    """caremap: the shared care record."""


@cli.command("run")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@with_appcontext
def run_command(host: str, port: int) -> None:
    """Serve with the development server (use gunicorn in production)."""
    from flask import current_app
    from werkzeug.serving import run_simple

    run_simple(host, port, current_app._get_current_object(), threaded=True)


# ---- database -----------------------------------------------------------------


@cli.group()
def db() -> None:
    """The database schema."""


def alembic_config(url: str):
    from alembic.config import Config

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@db.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Upgrade the database to a revision (default: the newest)."""
    from alembic import command
    from flask import current_app

    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(url)
    before = _database_revision(url)
    command.upgrade(config, revision)
    after = _database_revision(url)
    if before == after:
        click.echo(f"Database is already at {after}: nothing to upgrade.")
        return
    from alembic.script import ScriptDirectory

    steps = list(ScriptDirectory.from_config(config).iterate_revisions(after, before))
    click.echo(
        f"Upgraded from {before or 'none'} to {after}: "
        f"{len(steps)} revision{'' if len(steps) == 1 else 's'}."
    )


def _database_revision(url: str) -> str | None:
    """The revision the database is at (None for an empty database)."""
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@db.command("roles")
@click.option("--owner", default="caremap_owner", show_default=True, help="owns the schema")
@click.option("--app", "app_role", default="caremap_app", show_default=True, help="the app's")
@click.option("--apply", is_flag=True, help="run the SQL (as a superuser) instead of printing it")
@with_appcontext
def db_roles(owner: str, app_role: str, apply: bool) -> None:
    """The migration owner and the application's role, which owns nothing (docs/SECURITY.md).
    Prints the SQL for a superuser to run; --apply runs it on CAREMAP_DATABASE_URL."""
    import sqlalchemy as sa
    from flask import current_app

    from caremap.core.roles import role_statements

    url = sa.engine.make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() != "postgresql":
        raise click.UsageError("database roles are for PostgreSQL")
    statements = role_statements(database=url.database, owner=owner, app=app_role)
    if not apply:
        click.echo(";\n".join(statements) + ";")
        return
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    engine.dispose()
    click.echo(f"{owner} owns {url.database}; {app_role} may read and write, and owns nothing.")


# ---- seed -------------------------------------------------------------------


@cli.group()
def seed() -> None:
    """Reference and demo data."""


@seed.command("reference")
@with_appcontext
def seed_reference_command() -> None:
    """Load the service catalogue from seed/catalogue.json (safe to repeat)."""
    from caremap.core.extensions import db as database
    from caremap.seed import seed_reference

    counts = seed_reference()
    database.session.commit()
    click.echo(
        f"Catalogue: {counts['strands']} strands, {counts['services']} services, "
        f"{counts['teams']} teams, {counts['needs']} needs, {counts['rules']} routing rules."
    )


@seed.command("demo")
@click.option(
    "--city-people",
    default=5000,
    show_default=True,
    type=click.IntRange(min=0),
    help="a synthetic city beside the demo people, so the indicators have figures (0: none)",
)
@with_appcontext
def seed_demo_command(city_people: int) -> None:
    """Load the catalogue, the demo staff (one per role and colleagues), demo people and,
    the first time, a small synthetic city with five years of history."""
    from caremap.core.extensions import db as database
    from caremap.seed import seed_demo_people, seed_demo_users, seed_demo_work, seed_reference

    seed_reference()
    seed_demo_users()
    people = seed_demo_people()
    if people:  # a fresh demo: the tour's staff each get something to do
        work = seed_demo_work()
        click.echo(
            f"Demo work: {work['care_team']} people on Kim's caseload, {work['tasks']} tasks, "
            f"{work['referrals']} referrals waiting, {work['concerns']} concerns to triage."
        )
    if people and city_people:  # only on a fresh database: the city is not added twice
        from caremap.synthetic import generate_city

        report = generate_city(people=city_people, years=5, seed=42)
        click.echo(
            f"Synthetic city: {report.rows['people']:,} people with five years of history "
            f"(rates per 100,000 divide them by the real populations, so they read low; "
            f"see docs/synthetic-city.md for a city at full size)."
        )
    database.session.commit()
    if people and city_people:
        # Dashboards and trends read the figures of closed periods from store (the daily
        # job in production); without them a manager's first look computes every month.
        from caremap.indicators.stored import close_periods

        started = time.perf_counter()
        stored = close_periods(commit=True)
        click.echo(
            f"Indicator figures stored for {len(stored.work)} closed periods "
            f"in {time.perf_counter() - started:.0f} s (`caremap indicators close-periods`)."
        )
    click.echo(f"Demo people registered: {people}.")
    from caremap.auth.enums import Role
    from caremap.core.seeds import read_seed

    staff = read_seed("demo_users.json")
    click.echo(f"Demo sign-ins, all with the password {staff['password']}:")
    teams = {code: name for code, name in _team_names()}
    for item in staff["users"]:
        click.echo(
            f"  {item['email']:<40} {item['full_name']}, {Role(item['role']).label}, "
            f"{teams.get(item['team'], item['team'])}"
        )


def _team_names() -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from caremap.catalogue.models import Team
    from caremap.core.extensions import db as database

    rows = database.session.execute(sa.select(Team.code, Team.name))
    return [(code, name) for code, name in rows]


def _add_city_command() -> None:
    from caremap.synthetic.cli import city_command

    seed.add_command(city_command)


_add_city_command()


# ---- users ------------------------------------------------------------------


@cli.group()
def users() -> None:
    """Staff accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["practitioner", "key_worker", "safeguarding_lead", "manager", "admin"]),
)
@click.option("--team", required=True, help="team code, as in seed/catalogue.json")
@click.password_option(help="at least 12 characters (asked for when not given)")
@with_appcontext
def users_create(email: str, full_name: str, role: str, team: str, password: str) -> None:
    """Add a staff user."""
    import marshmallow as ma

    from caremap.auth.operations import create_user
    from caremap.auth.schemas import CreateUserArgs
    from caremap.core.errors import DomainError
    from caremap.core.extensions import db as database

    try:
        args = CreateUserArgs().load(
            {
                "email": email,
                "full_name": full_name,
                "role": role,
                "team": team,
                "password": password,
            }
        )
        user = create_user(actor=None, **args)
    except ma.ValidationError as error:
        for field, messages in error.normalized_messages().items():
            click.echo(f"{field}: {'; '.join(messages)}", err=True)
        sys.exit(2)
    except DomainError as error:
        click.echo(f"{error.field}: {error.message}", err=True)
        sys.exit(2)
    database.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}, {user.team.name}).")


# ---- scheduled work ----------------------------------------------------------------


@cli.group()
def tasks() -> None:
    """Work that opens tasks on a schedule."""


@tasks.command("daily")
@with_appcontext
def tasks_daily() -> None:
    """Open transition planning tasks for young people who reached the age, and medication
    review tasks for anyone at the polypharmacy threshold without one. Run once a day."""
    from caremap.core.extensions import db as database
    from caremap.medicines.operations import ensure_review_tasks
    from caremap.transitions.operations import ensure_transition_tasks

    transitions = ensure_transition_tasks(actor=None)
    reviews = ensure_review_tasks(actor=None)
    database.session.commit()
    click.echo(f"Opened {transitions} transition planning and {reviews} medication review task(s).")


# ---- the audit trail ------------------------------------------------------------


@cli.group()
def audit() -> None:
    """Seal and verify the tamper-evident audit trail (docs/SECURITY.md)."""


@audit.command("seal")
@with_appcontext
def audit_seal() -> None:
    """Chain the settled audit rows not yet chained. Run every few minutes."""
    from caremap.audit.integrity import AuditTampered, seal
    from caremap.core.extensions import db as database

    try:
        count = seal()
    except AuditTampered as error:
        database.session.rollback()
        click.echo(f"Not sealed: {error}. Run `caremap audit verify`.", err=True)
        sys.exit(1)
    database.session.commit()
    click.echo(f"Sealed {count} audit row(s).")


@audit.command("verify")
@click.option(
    "--since",
    default=None,
    help="a row id, or a date (YYYY-MM-DD) to start from; the chain is checked from there on",
)
@click.option("--seal/--no-seal", "seal_first", default=True, help="seal settled rows first")
@with_appcontext
def audit_verify(since: str | None, seal_first: bool) -> None:
    """Walk the audit trail and its chain; report the first edited, inserted or deleted row
    and exit 1, or say how many rows were checked and exit 0."""
    import datetime as dt

    from caremap.audit.integrity import AuditTampered, first_id_on_or_after, seal, verify
    from caremap.core.extensions import db as database

    if seal_first:
        try:
            seal()
            database.session.commit()
        except AuditTampered:
            database.session.rollback()
    since_id = None
    if since:
        since_id = (
            int(since) if since.isdigit() else first_id_on_or_after(dt.date.fromisoformat(since))
        )
    result = verify(since_id=since_id)
    if not result.ok:
        click.echo(f"Tampered: {result.problems[0]}", err=True)
        for problem in result.problems[1:]:
            click.echo(f"  also {problem}", err=True)
        sys.exit(1)
    click.echo(f"Audit trail intact: {result.rows} row(s) checked, {result.sealed} in the chain.")


# ---- bulk import ----------------------------------------------------------------


@cli.group("import")
def import_group() -> None:
    """Bulk import of people and their history from another system (docs/import.md)."""


def _run_import(kind: str, path: str, actor_email: str) -> None:
    import sqlalchemy as sa

    from caremap.auth.models import User
    from caremap.auth.permissions import can_administer
    from caremap.core.extensions import db as database
    from caremap.imports.events_import import import_events
    from caremap.imports.people_import import import_people
    from caremap.imports.runs import summary_line

    actor = database.session.scalar(sa.select(User).where(User.email == actor_email.lower()))
    if actor is None or not actor.is_active or not can_administer(actor):
        raise click.UsageError(f"--as: {actor_email} is not an active admin's email")
    importer = import_people if kind == "people" else import_events
    file = Path(path)
    with (
        file.open("rb") as handle,
        click.progressbar(
            length=file.stat().st_size, label=f"Importing {kind}", show_eta=True, file=sys.stderr
        ) as bar,
    ):
        done = [0]

        def progress(bytes_read: int) -> None:
            bar.update(bytes_read - done[0])
            done[0] = bytes_read

        # Rows are checked in a second process while this one writes (docs/import.md);
        # forked, so it starts with the app's modules already imported.
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as checker:
            run = importer(
                actor=actor, file=handle, filename=file.name, progress=progress, checker=checker
            )
    if run.refusal:
        click.echo(f"Refused: {run.refusal}", err=True)
    click.echo(f"Import {run.id} ({run.status.value}): {summary_line(run.summary) or 'no rows'}.")
    problems = run.summary.get("rejected", 0)
    if problems:
        click.echo(
            f"{problems} row(s) not imported: the error report (line, field, reason) is on "
            f"/admin/imports/{run.id}.",
            err=True,
        )
        from caremap.imports.queries import problems_of

        for problem in problems_of(run, limit=20):
            click.echo(f"  line {problem.line}, {problem.field}: {problem.reason}", err=True)
    sys.exit(1 if run.refusal else 0)


@import_group.command("people")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "actor_email", required=True, help="the admin the import is done by")
@with_appcontext
def import_people_command(path: str, actor_email: str) -> None:
    """Import people from a CSV extract (schemas/import-people.schema.json)."""
    _run_import("people", path, actor_email)


@import_group.command("events")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "actor_email", required=True, help="the admin the import is done by")
@with_appcontext
def import_events_command(path: str, actor_email: str) -> None:
    """Import history (referrals, episodes, medicines, safeguarding concerns) from a CSV
    extract (schemas/import-events.schema.json), against people already imported."""
    _run_import("events", path, actor_email)


# ---- published schemas ----------------------------------------------------------


def openapi_document() -> dict:
    from caremap.core.extensions import api

    return api.spec.to_dict()


def render_openapi() -> str:
    return json.dumps(openapi_document(), indent=2, sort_keys=True) + "\n"


@cli.command("export-schemas")
@click.option("--out", default=str(PROJECT_ROOT / "schemas"), type=click.Path(file_okay=False))
@with_appcontext
def export_schemas(out: str) -> None:
    """Write schemas/openapi.json from the API, and a JSON Schema for each import and
    export format (tests/test_published_schemas.py keeps them in sync)."""
    from caremap.imports.contracts import published_schemas, render

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    (target / "openapi.json").write_text(render_openapi(), encoding="utf-8")
    for name, document in published_schemas().items():
        (target / name).write_text(render(document), encoding="utf-8")
    click.echo(f"Wrote {target / 'openapi.json'} and {len(published_schemas())} JSON Schemas.")


from caremap.indicators.cli import indicators  # noqa: E402  (its imports are lazy)

cli.add_command(indicators)

from caremap.returns.cli import returns  # noqa: E402

cli.add_command(returns)


def main() -> None:
    cli()
