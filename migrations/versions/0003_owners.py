"""Lead owners: staff names, titles, availability and notices; round robin; shared leads

Revision ID: 0003_owners
Revises: 0001
Create Date: 2026-12-01 07:30:00

Staff accounts gain the name and job title shown to investors, the "available for new leads"
switch and a notification choice; organisations count the leads they hand out (round robin);
``lead_organisations`` stores the organisations a lead is shared with (informed by the routing).
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_owners"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("assigned_count", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("display_name", sa.String(length=120), server_default="", nullable=False))
        batch.add_column(sa.Column("job_title", sa.String(length=120), server_default="", nullable=False))
        batch.add_column(
            sa.Column("available_for_leads", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("notify", sa.String(length=16), server_default="each", nullable=False))
        batch.add_column(sa.Column("last_assigned_seq", sa.Integer(), nullable=True))
    op.create_table(
        "lead_organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_organisations_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_lead_organisations_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_organisations")),
        sa.UniqueConstraint("lead_id", "organisation_id", "role", name="uq_lead_organisations"),
    )
    op.create_index(op.f("ix_lead_organisations_lead_id"), "lead_organisations", ["lead_id"])
    op.create_index(
        op.f("ix_lead_organisations_organisation_id"), "lead_organisations", ["organisation_id"]
    )


def downgrade():
    op.drop_index(op.f("ix_lead_organisations_organisation_id"), table_name="lead_organisations")
    op.drop_index(op.f("ix_lead_organisations_lead_id"), table_name="lead_organisations")
    op.drop_table("lead_organisations")
    with op.batch_alter_table("staff_users") as batch:
        for column in ("last_assigned_seq", "notify", "available_for_leads", "job_title", "display_name"):
            batch.drop_column(column)
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("assigned_count")
