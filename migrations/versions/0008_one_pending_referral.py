"""Referrals: at most one pending referral per lead, held by the database

Revision ID: 0008_one_pending_referral
Revises: 0006_followup
Create Date: 2026-12-14 09:00:00

A partial unique index on ``referrals(lead_id) WHERE status = 'pending'`` (SQLite and
PostgreSQL both have partial indexes): two concurrent "refer" posts can no longer both store a
pending referral. A lead that already has several pending referrals (stored by that race) keeps
its oldest one; the later ones are closed as declined, with the reason saying why.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_one_pending_referral"
down_revision = "0006_followup"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
SUPERSEDED = "Closed: a lead has one pending referral at a time (an older one was pending)."


def upgrade():
    referrals = sa.table(
        "referrals",
        sa.column("id", sa.Integer),
        sa.column("lead_id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("reason", sa.Text),
    )
    oldest = (
        sa.select(sa.func.min(referrals.c.id))
        .where(referrals.c.status == "pending")
        .group_by(referrals.c.lead_id)
    )
    op.execute(
        referrals.update()
        .where(referrals.c.status == "pending", referrals.c.id.not_in(oldest))
        .values(status="declined", reason=SUPERSEDED)
    )
    op.create_index(
        "uq_referrals_lead_pending",
        "referrals",
        ["lead_id"],
        unique=True,
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade():
    op.drop_index("uq_referrals_lead_pending", table_name="referrals")
