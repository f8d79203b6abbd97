"""Follow-up: reminder digests per owner and day, check-ins, expansions of won investments

Revision ID: 0006_followup
Revises: 0005_sharing
Create Date: 2026-12-01 08:10:00

``reminder_digests`` records what each owner's daily digest held (one row per owner and day:
``flask leads remind`` is idempotent per day); ``check_ins`` the at most two check-ins a silent
investor who agreed to updates gets, and when their unsubscribe link was used; leads gain
``expansion_of_id``, the won investment a later inquiry from the same company expands.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_followup"
down_revision = "0005_sharing"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reminder_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_users.id"],
            name=op.f("fk_reminder_digests_staff_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_digests")),
        sa.UniqueConstraint("staff_id", "day", name="uq_reminder_digests_staff_day"),
    )
    op.create_table(
        "check_ins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_check_ins_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_users.id"],
            name=op.f("fk_check_ins_staff_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_ins")),
        sa.UniqueConstraint("lead_id", "number", name="uq_check_ins_lead_number"),
    )
    op.create_index(op.f("ix_check_ins_lead_id"), "check_ins", ["lead_id"])
    with op.batch_alter_table("leads") as batch:
        batch.add_column(sa.Column("expansion_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_leads_expansion_of_id_leads"),
            "leads",
            ["expansion_of_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_leads_expansion_of_id"), ["expansion_of_id"])


def downgrade():
    with op.batch_alter_table("leads") as batch:
        batch.drop_index(batch.f("ix_leads_expansion_of_id"))
        batch.drop_constraint(batch.f("fk_leads_expansion_of_id_leads"), type_="foreignkey")
        batch.drop_column("expansion_of_id")
    op.drop_index(op.f("ix_check_ins_lead_id"), table_name="check_ins")
    op.drop_table("check_ins")
    op.drop_table("reminder_digests")
