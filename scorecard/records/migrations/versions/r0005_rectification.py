"""Corrective action plans (整改方案): their versions, milestones, reviews and the milestones' status.

Revision ID: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "rectification_plans",
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("finding", sa.String(64), nullable=False),
        sa.Column("finding_text", sa.Text, nullable=False),
        sa.Column("measures", sa.Text, nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "version"))
    op.create_index("ix_rectification_plans_year", "rectification_plans", ["year"])
    op.create_table(
        "rectification_milestones",
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "version", "position"))
    op.create_table(
        "rectification_reviews",
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("plan_id", "version"))
    op.create_table(
        "rectification_progress",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("completed_on", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_rectification_progress_plan_id", "rectification_progress", ["plan_id"])


def downgrade() -> None:
    for name in ("rectification_progress", "rectification_reviews", "rectification_milestones", "rectification_plans"):
        op.drop_table(name)
