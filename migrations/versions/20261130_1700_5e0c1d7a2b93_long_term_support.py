"""long-term support: social care profiles, assessments, care packages, reviews

Revision ID: 5e0c1d7a2b93
Revises: c7d4a9e2f013
Create Date: 2026-11-30 17:00:00+00:00
"""

import sqlalchemy as sa
from alembic import op

import caremap.core.db

revision = "5e0c1d7a2b93"
down_revision = "c7d4a9e2f013"
branch_labels = None
depends_on = None

CODE = sa.String(length=120)
WHEN = caremap.core.db.UTCDateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "social_care_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("client_type", CODE, nullable=True),
        sa.Column("primary_support_reason", CODE, nullable=True),
        sa.Column("accommodation_status", CODE, nullable=True),
        sa.Column("employment_status", CODE, nullable=True),
        sa.Column("ethnicity", CODE, nullable=True),
        sa.Column("visual_impairment", CODE, nullable=True),
        sa.Column("hearing_impairment", CODE, nullable=True),
        sa.Column("dementia", sa.Boolean(), nullable=True),
        sa.Column("autism", sa.Boolean(), nullable=True),
        sa.Column("has_unpaid_carer", sa.Boolean(), nullable=True),
        sa.Column("client_funding_status", CODE, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("social_care_profiles", "person_id", "people"),
        _fk("social_care_profiles", "updated_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_care_profiles")),
        sa.UniqueConstraint("person_id", name=op.f("uq_social_care_profiles_person_id")),
    )
    op.create_table(
        "care_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "needs_assessment",
                "carers_assessment",
                name="assessmentkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("assessment_type", CODE, nullable=False),
        sa.Column("method", CODE, nullable=False),
        sa.Column("eligible_needs_identified", sa.Boolean(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", CODE, nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("hours_caring_per_week", sa.Numeric(precision=5, scale=1), nullable=True),
        sa.Column("adults_cared_for", sa.Integer(), nullable=True),
        sa.Column("cared_for_person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("care_assessments", "person_id", "people"),
        _fk("care_assessments", "referral_id", "referrals"),
        _fk("care_assessments", "cared_for_person_id", "people"),
        _fk("care_assessments", "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_assessments")),
    )
    op.create_index(
        "ix_care_assessments_person_id_started_on",
        "care_assessments",
        ["person_id", "started_on"],
    )
    op.create_index("ix_care_assessments_ended_on", "care_assessments", ["ended_on"])
    op.create_index(op.f("ix_care_assessments_referral_id"), "care_assessments", ["referral_id"])
    op.create_index(
        op.f("ix_care_assessments_cared_for_person_id"),
        "care_assessments",
        ["cared_for_person_id"],
    )
    op.create_table(
        "care_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("service_type", CODE, nullable=False),
        sa.Column("service_component", CODE, nullable=False),
        sa.Column("delivery_mechanism", CODE, nullable=True),
        sa.Column("provider_name", sa.String(length=200), nullable=True),
        sa.Column("provider_cqc_location_id", sa.String(length=20), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", CODE, nullable=True),
        sa.Column("planned_units_per_week", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("cost_frequency", CODE, nullable=True),
        sa.Column("funded_by", CODE, nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("episode_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("care_packages", "person_id", "people"),
        _fk("care_packages", "assessment_id", "care_assessments"),
        _fk("care_packages", "episode_id", "episodes"),
        _fk("care_packages", "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_packages")),
        sa.UniqueConstraint("episode_id", name=op.f("uq_care_packages_episode_id")),
    )
    op.create_index(
        "ix_care_packages_person_id_started_on", "care_packages", ["person_id", "started_on"]
    )
    op.create_index(
        "ix_care_packages_service_type_started_on",
        "care_packages",
        ["service_type", "started_on"],
    )
    op.create_index(op.f("ix_care_packages_assessment_id"), "care_packages", ["assessment_id"])
    op.create_table(
        "care_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("care_package_id", sa.Integer(), nullable=True),
        sa.Column("review_reason", CODE, nullable=False),
        sa.Column("method", CODE, nullable=False),
        sa.Column("outcomes_achieved", CODE, nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", CODE, nullable=True),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        _fk("care_reviews", "person_id", "people"),
        _fk("care_reviews", "care_package_id", "care_packages"),
        _fk("care_reviews", "recorded_by_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_reviews")),
    )
    op.create_index(
        "ix_care_reviews_person_id_started_on", "care_reviews", ["person_id", "started_on"]
    )
    op.create_index("ix_care_reviews_ended_on", "care_reviews", ["ended_on"])
    op.create_index(op.f("ix_care_reviews_care_package_id"), "care_reviews", ["care_package_id"])


def downgrade() -> None:
    op.drop_table("care_reviews")
    op.drop_table("care_packages")
    op.drop_table("care_assessments")
    op.drop_table("social_care_profiles")
