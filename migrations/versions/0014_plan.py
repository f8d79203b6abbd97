"""The investor's plan: link version and activity on leads, plan messages and agreed next steps

Revision ID: 0014_plan
Revises: 0006_followup
Create Date: 2026-12-08 09:00:00

``leads.plan_version`` is carried by every plan link (raised to revoke them all) and
``leads.plan_active_at`` is the last mail carrying the link or visit to it (links expire 180
days after it); ``plan_messages`` holds what the investor wrote from the plan page and
``plan_steps`` the next steps staff agreed with them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_plan"
down_revision = "0012_partners"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("leads") as batch:
        batch.add_column(
            sa.Column("plan_version", sa.Integer(), nullable=False, server_default="1")
        )
        batch.add_column(sa.Column("plan_active_at", sa.DateTime(), nullable=True))
    op.create_table(
        "plan_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_plan_messages_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_messages")),
    )
    op.create_index(op.f("ix_plan_messages_lead_id"), "plan_messages", ["lead_id"])
    op.create_table(
        "plan_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_plan_steps_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["staff_users.id"], name=op.f("fk_plan_steps_author_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_steps")),
    )
    op.create_index(op.f("ix_plan_steps_lead_id"), "plan_steps", ["lead_id"])


def downgrade():
    op.drop_index(op.f("ix_plan_steps_lead_id"), table_name="plan_steps")
    op.drop_table("plan_steps")
    op.drop_index(op.f("ix_plan_messages_lead_id"), table_name="plan_messages")
    op.drop_table("plan_messages")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("plan_active_at")
        batch.drop_column("plan_version")
