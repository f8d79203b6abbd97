"""Shared leads: referrals between organisations, rivals, likelihood and outcomes

Revision ID: 0005_sharing
Revises: 0007_inbound
Create Date: 2026-12-01 08:10:00

Leads gain what the investor weighs against us (rival locations, likelihood, expected land
date), the outcome of a won lead (country, jobs, investment, land date) or a lost one (the
location chosen instead); "outcome to complete" (added by 0007_inbound) also covers them;
``referrals`` holds one organisation's offer of a lead to another and the answer.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_sharing"
down_revision = "0007_inbound"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("rivals", sa.JSON(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("likelihood", sa.String(length=16), server_default="", nullable=False))
        batch.add_column(sa.Column("expected_land_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("won_country", sa.String(length=32), server_default="", nullable=False))
        batch.add_column(sa.Column("jobs_planned", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("investment_eur", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("land_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("lost_to", sa.String(length=32), server_default="", nullable=False))
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("from_organisation_id", sa.Integer(), nullable=False),
        sa.Column("to_organisation_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_referrals_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["from_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_referrals_from_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["to_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_referrals_to_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["staff_users.id"], name=op.f("fk_referrals_created_by_id_staff_users")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["staff_users.id"], name=op.f("fk_referrals_decided_by_id_staff_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
    )
    op.create_index(op.f("ix_referrals_lead_id"), "referrals", ["lead_id"])
    op.create_index(op.f("ix_referrals_to_organisation_id"), "referrals", ["to_organisation_id"])
    op.create_index(op.f("ix_referrals_status"), "referrals", ["status"])


def downgrade():
    op.drop_index(op.f("ix_referrals_status"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_to_organisation_id"), table_name="referrals")
    op.drop_index(op.f("ix_referrals_lead_id"), table_name="referrals")
    op.drop_table("referrals")
    with op.batch_alter_table("leads") as batch:
        for column in (
            "lost_to",
            "land_date",
            "investment_eur",
            "jobs_planned",
            "won_country",
            "expected_land_date",
            "likelihood",
            "rivals",
        ):
            batch.drop_column(column)
