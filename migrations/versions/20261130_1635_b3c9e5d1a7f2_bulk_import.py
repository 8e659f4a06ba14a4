"""bulk import: source-system identifiers on the person, import runs, their problems, held matches

Revision ID: b3c9e5d1a7f2
Revises: e1fa0fc5d20d
Create Date: 2026-11-30 16:35:00+00:00
"""

import sqlalchemy as sa
from alembic import op

import caremap.core.db

revision = "b3c9e5d1a7f2"
down_revision = "e1fa0fc5d20d"
branch_labels = None
depends_on = None

UTC = caremap.core.db.UTCDateTime(timezone=True)


def _enum(name: str, values: list[str]) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "person_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=200), nullable=False),
        sa.Column("value", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_person_identifiers_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_identifiers")),
        sa.UniqueConstraint("system", "value", name="uq_person_identifiers_system"),
    )
    op.create_index(
        op.f("ix_person_identifiers_person_id"), "person_identifiers", ["person_id"], unique=False
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("importkind", ["people", "events"]), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", _enum("runstatus", ["running", "finished", "refused"]), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC, nullable=False),
        sa.Column("finished_at", UTC, nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("refusal", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_import_runs_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_index(op.f("ix_import_runs_sha256"), "import_runs", ["sha256"], unique=False)
    op.create_table(
        "import_problems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_import_problems_import_run_id_import_runs"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_problems")),
    )
    op.create_index(
        op.f("ix_import_problems_import_run_id"), "import_problems", ["import_run_id"], unique=False
    )
    op.create_table(
        "held_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=200), nullable=False),
        sa.Column("source_id", sa.String(length=100), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            _enum("heldstatus", ["waiting", "linked", "created", "rejected"]),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", UTC, nullable=True),
        sa.Column("decision_reason", sa.String(length=2000), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_held_matches_import_run_id_import_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_held_matches_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_held_matches_decided_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_held_matches")),
    )
    op.create_index(
        op.f("ix_held_matches_import_run_id"), "held_matches", ["import_run_id"], unique=False
    )
    op.create_index(op.f("ix_held_matches_person_id"), "held_matches", ["person_id"], unique=False)
    op.create_index("ix_held_matches_status", "held_matches", ["status"], unique=False)
    op.create_index(
        "uq_held_matches_source_waiting",
        "held_matches",
        ["source_system", "source_id"],
        unique=True,
        sqlite_where=sa.text("status = 'waiting'"),
        postgresql_where=sa.text("status = 'waiting'"),
    )
    op.create_table(
        "imported_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=False),
        sa.Column("source_system", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["import_runs.id"],
            name=op.f("fk_imported_events_import_run_id_import_runs"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_imported_events_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_events")),
        sa.UniqueConstraint("source_system", "event_id", name="uq_imported_events_source_system"),
    )
    op.create_index(
        op.f("ix_imported_events_import_run_id"),
        "imported_events",
        ["import_run_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_imported_events_person_id"), "imported_events", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("imported_events")
    op.drop_table("held_matches")
    op.drop_table("import_problems")
    op.drop_table("import_runs")
    op.drop_table("person_identifiers")
