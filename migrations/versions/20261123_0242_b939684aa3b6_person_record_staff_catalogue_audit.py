"""person record, staff, catalogue, audit

Revision ID: b939684aa3b6
Revises:
Create Date: 2026-11-23 02:42:36.483293+00:00
"""

import sqlalchemy as sa
from alembic import op

import caremap.core.db

revision = "b939684aa3b6"
down_revision = None
branch_labels = None
depends_on = None


AUDIT_APPEND_ONLY_POSTGRESQL = [
    """
    CREATE FUNCTION audit_events_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()
    """,
]
AUDIT_APPEND_ONLY_SQLITE = [
    """
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END
    """,
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Name search uses trigram similarity; autogenerate does not see extensions.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("attempted_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_attempts_email_attempted_at", ["email", "attempted_at"], unique=False
        )

    op.create_table(
        "strands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_strands")),
        sa.UniqueConstraint("code", name=op.f("uq_strands_code")),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("strand_id", sa.Integer(), nullable=False),
        sa.Column("key_working", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["strand_id"], ["strands.id"], name=op.f("fk_services_strand_id_strands")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
        sa.UniqueConstraint("code", name=op.f("uq_services_code")),
    )
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_services_strand_id"), ["strand_id"], unique=False)

    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_teams_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("code", name=op.f("uq_teams_code")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_teams_service_id"), ["service_id"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=160), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "practitioner",
                "key_worker",
                "safeguarding_lead",
                "manager",
                "admin",
                name="role",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("password_changed_at", caremap.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_users_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_team_id"), ["team_id"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("token_prefix", sa.String(length=12), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("last_used_at", caremap.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", caremap.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("local_ref", sa.String(length=12), nullable=False),
        sa.Column("nhs_number", sa.String(length=10), nullable=True),
        sa.Column("given_name", sa.String(length=100), nullable=False),
        sa.Column("family_name", sa.String(length=100), nullable=False),
        sa.Column("preferred_name", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("date_of_death", sa.Date(), nullable=True),
        sa.Column(
            "sex",
            sa.Enum("female", "male", "other", "unknown", name="sex", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("address_line_1", sa.String(length=120), nullable=True),
        sa.Column("address_line_2", sa.String(length=120), nullable=True),
        sa.Column("town", sa.String(length=80), nullable=True),
        sa.Column("postcode", sa.String(length=8), nullable=True),
        sa.Column("no_fixed_abode", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("gp_practice_code", sa.String(length=10), nullable=True),
        sa.Column("gp_practice_name", sa.String(length=160), nullable=True),
        sa.Column("language", sa.String(length=60), nullable=True),
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False),
        sa.Column("communication_needs", sa.String(length=2000), nullable=True),
        sa.Column("search_name", sa.String(length=320), nullable=False),
        sa.Column("registered_by_team_id", sa.Integer(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("live", "merged", name="recordstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("merged_at", caremap.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["people.id"], name=op.f("fk_people_merged_into_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"], ["users.id"], name=op.f("fk_people_registered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_team_id"],
            ["teams.id"],
            name=op.f("fk_people_registered_by_team_id_teams"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("local_ref", name=op.f("uq_people_local_ref")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_date_of_birth", ["date_of_birth"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_people_postcode"), ["postcode"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_people_registered_by_team_id"), ["registered_by_team_id"], unique=False
        )
        batch_op.create_index(
            "ix_people_search_name_trgm",
            ["search_name"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        )
        batch_op.create_index(
            "uq_people_nhs_number_live",
            ["nhs_number"],
            unique=True,
            sqlite_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
            postgresql_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
        )

    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("request_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_audit_events_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_events_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index("ix_audit_events_person_id_at", ["person_id", "at"], unique=False)

    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "given", "refused", "withdrawn", name="consentstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_consent_records_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_consent_records_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_consent_records_person_id_recorded_at", ["person_id", "recorded_at"], unique=False
        )

    op.create_table(
        "related_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("relationship_to_person", sa.String(length=60), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("is_carer", sa.Boolean(), nullable=False),
        sa.Column("is_next_of_kin", sa.Boolean(), nullable=False),
        sa.Column("involved_in_care", sa.Boolean(), nullable=True),
        sa.Column("carer_person_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["carer_person_id"],
            ["people.id"],
            name=op.f("fk_related_people_carer_person_id_people"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_related_people_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_related_people_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_related_people")),
    )
    with op.batch_alter_table("related_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_related_people_carer_person_id"), ["carer_person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_related_people_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "story_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", caremap.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_story_versions_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_story_versions_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_versions")),
    )
    with op.batch_alter_table("story_versions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_story_versions_person_id_recorded_at", ["person_id", "recorded_at"], unique=False
        )

    for statement in (
        AUDIT_APPEND_ONLY_POSTGRESQL if dialect == "postgresql" else AUDIT_APPEND_ONLY_SQLITE
    ):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")
    with op.batch_alter_table("story_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_story_versions_person_id_recorded_at")

    op.drop_table("story_versions")
    with op.batch_alter_table("related_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_related_people_person_id"))
        batch_op.drop_index(batch_op.f("ix_related_people_carer_person_id"))

    op.drop_table("related_people")
    with op.batch_alter_table("consent_records", schema=None) as batch_op:
        batch_op.drop_index("ix_consent_records_person_id_recorded_at")

    op.drop_table("consent_records")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_person_id_at")
        batch_op.drop_index(batch_op.f("ix_audit_events_actor_id"))

    op.drop_table("audit_events")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_people_nhs_number_live",
            sqlite_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
            postgresql_where=sa.text("status = 'live' AND nhs_number IS NOT NULL"),
        )
        batch_op.drop_index(
            "ix_people_search_name_trgm",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
        )
        batch_op.drop_index(batch_op.f("ix_people_registered_by_team_id"))
        batch_op.drop_index(batch_op.f("ix_people_postcode"))
        batch_op.drop_index(batch_op.f("ix_people_merged_into_id"))
        batch_op.drop_index("ix_people_date_of_birth")

    op.drop_table("people")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_team_id"))

    op.drop_table("users")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_teams_service_id"))

    op.drop_table("teams")
    with op.batch_alter_table("services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_services_strand_id"))

    op.drop_table("services")
    op.drop_table("strands")
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_email_attempted_at")

    op.drop_table("sign_in_attempts")
