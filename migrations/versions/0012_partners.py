"""Partners: introductions an investor asked for, and each step a chapter recorded

Revision ID: 0012_partners
Revises: 0006_followup
Create Date: 2026-12-08 03:00:00

``introductions`` holds one row per lead and partner (the partner's slug, name, kind and country
as listed when asked, its status and the organisation that made it); ``introduction_steps`` what
the chapter recorded, each synced to the CRM as a note on the contact (``crm_note_id``).
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_partners"
down_revision = "0008_one_pending_referral"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "introductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=True),
        sa.Column("partner_slug", sa.String(length=120), nullable=False),
        sa.Column("partner_name", sa.String(length=200), nullable=False),
        sa.Column("partner_kind", sa.String(length=32), nullable=False),
        sa.Column("partner_country", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("introduced_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_introductions_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["inquiries.id"],
            name=op.f("fk_introductions_inquiry_id_inquiries"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_introductions_organisation_id_organisations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introductions")),
        sa.UniqueConstraint("lead_id", "partner_slug", name="uq_introductions_lead_partner"),
    )
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_introductions_lead_id"), ["lead_id"], unique=False)
    op.create_table(
        "introduction_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("introduction_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("crm_note_id", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["introduction_id"],
            ["introductions.id"],
            name=op.f("fk_introduction_steps_introduction_id_introductions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["staff_users.id"],
            name=op.f("fk_introduction_steps_actor_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_introduction_steps")),
    )
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_introduction_steps_introduction_id"), ["introduction_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("introduction_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introduction_steps_introduction_id"))
    op.drop_table("introduction_steps")
    with op.batch_alter_table("introductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_introductions_lead_id"))
    op.drop_table("introductions")
