"""Changes from HubSpot: per-field change times, the HubSpot owner id, outcome to complete

Revision ID: 0007_inbound
Revises: 0003_owners
Create Date: 2026-12-01 07:30:00

The inbound queue itself is the outbox table (channel ``crm_inbound``): no table of its own.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_inbound"
down_revision = "0003_owners"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("crm_owner_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("stage_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("owner_changed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "outcome_to_complete", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("outcome_to_complete")
        batch_op.drop_column("owner_changed_at")
        batch_op.drop_column("stage_changed_at")
        batch_op.drop_column("crm_owner_id")
