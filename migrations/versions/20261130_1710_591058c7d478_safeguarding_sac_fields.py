"""safeguarding: what the Safeguarding Adults Collection counts of a concluded enquiry
(action and result, capacity and support, Making Safeguarding Personal) and the risks it
looked into (type, location, source: several per enquiry); locations on SAC's list

Revision ID: 591058c7d478
Revises: 5e0c1d7a2b93
Create Date: 2026-11-30 17:10:00+00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "591058c7d478"
down_revision = "5e0c1d7a2b93"
branch_labels = None
depends_on = None

_RISK_TYPES = (
    "physical",
    "sexual",
    "psychological",
    "financial_or_material",
    "discriminatory",
    "organisational",
    "neglect_and_acts_of_omission",
    "domestic_abuse",
    "sexual_exploitation",
    "modern_slavery",
    "self_neglect",
)
_LOCATIONS = (
    "own_home",
    "community",
    "community_service",
    "nursing_home",
    "residential_care_home",
    "hospital_acute",
    "hospital_mental",
    "hospital_community",
    "other",
)
_SOURCES = ("service_provider", "known_to_the_person", "stranger", "unknown")


def _enum(name: str, values: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(
        *values, name=name, native_enum=False, length=max(20, max(len(v) for v in values))
    )


def upgrade() -> None:
    # ADD COLUMN only on the enquiries (other tables refer to them: no SQLite rebuild).
    op.add_column(
        "safeguarding_enquiries",
        sa.Column(
            "action_result",
            _enum(
                "actionresult",
                (
                    "risk_identified_action_taken",
                    "risk_identified_no_action",
                    "inconclusive_action_taken",
                    "inconclusive_no_action",
                    "no_risk_action_taken",
                    "no_risk_no_action",
                    "ceased_at_request_no_action",
                ),
            ),
            nullable=True,
        ),
    )
    op.add_column(
        "safeguarding_enquiries",
        sa.Column(
            "lacked_capacity",
            _enum("lackedcapacity", ("yes", "no", "dont_know", "not_recorded")),
            nullable=True,
        ),
    )
    op.add_column(
        "safeguarding_enquiries", sa.Column("capacity_support", sa.Boolean(), nullable=True)
    )
    op.add_column(
        "safeguarding_enquiries",
        sa.Column(
            "msp_asked",
            _enum(
                "mspasked",
                (
                    "asked_outcomes_expressed",
                    "asked_no_outcomes_expressed",
                    "not_asked",
                    "dont_know",
                    "not_recorded",
                ),
            ),
            nullable=True,
        ),
    )
    op.create_table(
        "safeguarding_enquiry_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enquiry_id", sa.Integer(), nullable=False),
        sa.Column("risk_type", _enum("abusecategory", _RISK_TYPES), nullable=False),
        sa.Column("risk_location", _enum("risklocation", _LOCATIONS), nullable=False),
        sa.Column("risk_source", _enum("risksource", _SOURCES), nullable=False),
        sa.ForeignKeyConstraint(
            ["enquiry_id"],
            ["safeguarding_enquiries.id"],
            name=op.f("fk_safeguarding_enquiry_risks_enquiry_id_safeguarding_enquiries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_enquiry_risks")),
        sa.UniqueConstraint(
            "enquiry_id",
            "risk_type",
            "risk_location",
            "risk_source",
            name=op.f("uq_safeguarding_enquiry_risks_enquiry_id"),
        ),
    )
    op.create_index(
        op.f("ix_safeguarding_enquiry_risks_enquiry_id"),
        "safeguarding_enquiry_risks",
        ["enquiry_id"],
        unique=False,
    )
    # The one location of the list before SAC's that SAC splits three ways (acute, mental
    # health, community). The old rows do not say which: they become acute, the first of
    # SAC's three, and docs/safeguarding-collection.md says so. Codes fit the column.
    op.execute(
        "UPDATE safeguarding_concerns SET risk_location = 'hospital_acute' "
        "WHERE risk_location = 'hospital'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE safeguarding_concerns SET risk_location = 'hospital' "
        "WHERE risk_location IN ('hospital_acute', 'hospital_mental', 'hospital_community')"
    )
    op.execute(
        "UPDATE safeguarding_concerns SET risk_location = 'other' "
        "WHERE risk_location = 'community_service'"
    )
    op.drop_index(
        op.f("ix_safeguarding_enquiry_risks_enquiry_id"), table_name="safeguarding_enquiry_risks"
    )
    op.drop_table("safeguarding_enquiry_risks")
    op.drop_column("safeguarding_enquiries", "msp_asked")
    op.drop_column("safeguarding_enquiries", "capacity_support")
    op.drop_column("safeguarding_enquiries", "lacked_capacity")
    op.drop_column("safeguarding_enquiries", "action_result")
