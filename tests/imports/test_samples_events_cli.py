"""The published sample files through the CLI (click's CliRunner), the history import,
and the published JSON Schemas kept in step with the code."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from flask.cli import ScriptInfo

from caremap.audit.models import AuditEvent
from caremap.cli import cli
from caremap.config import PROJECT_ROOT
from caremap.core.extensions import db
from caremap.episodes.enums import Day91Outcome, EpisodeKind
from caremap.episodes.models import Episode
from caremap.imports.events_import import import_events
from caremap.imports.formats import EVENT_COLUMNS, PEOPLE_COLUMNS
from caremap.imports.models import ImportProblem, ImportRun
from caremap.imports.people_import import import_people
from caremap.medicines.models import Medicine
from caremap.people.models import PersonIdentifier
from caremap.safeguarding.models import Concern
from tests.factories import letters, staff, unique
from tests.imports.helpers import SYSTEM, csv_bytes, events_file, person_row

SAMPLES = PROJECT_ROOT / "schemas" / "samples"


def _runner(app):
    return app.test_cli_runner(), ScriptInfo(create_app=lambda: app)


def test_the_sample_files_import_through_the_cli_and_a_second_run_changes_nothing(app, tmp_path):
    runner = app.test_cli_runner()
    people = runner.invoke(
        cli, ["import", "people", str(SAMPLES / "import-people.csv"), "--as", "admin@test.example"]
    )
    assert people.exit_code == 0, people.output
    assert "created: 3" in people.output and "rejected: 0" in people.output
    events = runner.invoke(
        cli, ["import", "events", str(SAMPLES / "import-events.csv"), "--as", "admin@test.example"]
    )
    assert events.exit_code == 0, events.output
    assert "events episode: 2" in events.output and "rejected: 0" in events.output
    assert "events medicine: 1" in events.output and "events referral: 1" in events.output
    assert "events safeguarding concern: 1" in events.output
    again = runner.invoke(
        cli, ["import", "events", str(SAMPLES / "import-events.csv"), "--as", "admin@test.example"]
    )
    assert "unchanged: 5" in again.output and "events episode: 0" in again.output
    with app.app_context():
        episode = db.session.scalar(
            sa.select(Episode)
            .join(PersonIdentifier, PersonIdentifier.person_id == Episode.person_id)
            .where(PersonIdentifier.value == "P0001", Episode.kind == EpisodeKind.REABLEMENT)
        )
        assert episode.day91_outcome == Day91Outcome.AT_HOME
        assert str(episode.discharged_on) == "2025-06-03" and str(episode.ended_on) == "2025-07-01"
        assert str(episode.follow_up_due_on) == "2025-09-02"


def test_the_cli_refuses_a_non_admin_and_a_wrong_header(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([], PEOPLE_COLUMNS))
    refused = runner.invoke(cli, ["import", "people", str(path), "--as", "manager@test.example"])
    assert refused.exit_code == 2 and "is not an active admin" in refused.output
    path.write_text("given_name,family_name\nA,B\n")
    wrong = runner.invoke(cli, ["import", "people", str(path), "--as", "admin@test.example"])
    assert wrong.exit_code == 1
    assert "Refused: The header is wrong" in wrong.output
    assert "missing column(s): date_of_birth, source_system, source_id" in wrong.output


def test_event_rows_are_checked_by_their_domain_and_refused_whole(ctx):
    tag = letters(unique())
    admin = staff("admin")
    import_people(
        actor=admin,
        file=io.BytesIO(csv_bytes([person_row(f"h{tag}")], PEOPLE_COLUMNS)),
        filename="p.csv",
    )
    common = {"source_system": SYSTEM, "source_id": f"h{tag}"}
    rows = [
        {
            **common,
            "event_id": f"m1{tag}",
            "kind": "medicine",
            "name": "Paracetamol",
            "dose": "1 g",
            "route": "oral",
            "frequency": "daily",
            "started_on": "2024-01-01",
            "source": "gp_record",
            "stopped_on": "2023-01-01",
            "stop_reason": "done",
        },
        {
            **common,
            "event_id": f"e1{tag}",
            "kind": "episode",
            "service": "no_such_service",
            "started_on": "2024-01-01",
        },
        {
            **common,
            "event_id": f"e2{tag}",
            "kind": "episode",
            "service": "reablement",
            "episode_kind": "reablement",
            "started_on": "1930-01-01",
            "discharged_on": "1930-01-01",
        },
        {**common, "event_id": f"x{tag}", "kind": "letter"},
        {**common, "event_id": f"n{tag}", "kind": "medicine", "service": "reablement"},
        {
            "source_system": SYSTEM,
            "source_id": "nobody",
            "event_id": f"z{tag}",
            "kind": "medicine",
            "name": "Paracetamol",
            "dose": "1 g",
            "route": "oral",
            "frequency": "daily",
            "started_on": "2024-01-01",
            "source": "gp_record",
        },
        {
            **common,
            "event_id": f"ok{tag}",
            "kind": "medicine",
            "name": "Ibuprofen",
            "dose": "1 g",
            "route": "oral",
            "frequency": "daily",
            "started_on": "2024-01-01",
            "source": "gp_record",
        },
    ]
    medicines_before = db.session.scalar(sa.select(sa.func.count(Medicine.id)))
    run = import_events(actor=admin, file=events_file(rows), filename="e.csv")
    problems = {
        (p.line, p.field): p.reason
        for p in db.session.scalars(
            sa.select(ImportProblem).where(ImportProblem.import_run_id == run.id)
        )
    }
    assert problems[(2, "stopped_on")] == "must be on or after started_on"
    assert problems[(3, "service")] == "no service has the code 'no_such_service'"
    assert (4, "started_on") in problems
    assert problems[(5, "kind")].startswith("must be one of referral, episode")
    assert problems[(6, "service")] == "is not used for a medicine: leave it blank"
    assert problems[(7, "source_id")] == "no person has been imported with this source identifier"
    assert run.summary["rejected"] == 6 and run.summary["events_medicine"] == 1
    # the refused medicine left nothing behind: only the good row's medicine is new
    assert db.session.scalar(sa.select(sa.func.count(Medicine.id))) == medicines_before + 1
    audit = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "imports.event")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert audit.changes["file_sha256"] == run.sha256 and audit.changes["line"] == 8
    assert db.session.scalar(sa.select(sa.func.count(Concern.id))) is not None


def test_the_sample_files_use_only_published_columns():
    people = json.loads((PROJECT_ROOT / "schemas" / "import-people.schema.json").read_text())
    header = (SAMPLES / "import-people.csv").read_text().splitlines()[0].split(",")
    assert header == list(PEOPLE_COLUMNS) and set(header) == set(people["properties"])
    events = json.loads((PROJECT_ROOT / "schemas" / "import-events.schema.json").read_text())
    published = {c for variant in events["oneOf"] for c in variant["properties"]}
    header = (SAMPLES / "import-events.csv").read_text().splitlines()[0].split(",")
    assert header == list(EVENT_COLUMNS) and set(header) == published


def test_a_run_is_kept_even_when_refused(ctx):
    run = import_events(
        actor=staff("admin"), file=io.BytesIO(b"kind\nmedicine\n"), filename="bad.csv"
    )
    kept = db.session.get(ImportRun, run.id)
    assert kept.refusal.startswith("The header is wrong: missing column(s): source_system")
