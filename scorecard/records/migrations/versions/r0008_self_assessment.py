"""Self-assessment and verification (自评、核查) per city, year and indicator, every entry a version.

Revision ID: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "self_assessment",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("indicator", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("figure", sa.Float, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_self_assessment_year", "self_assessment", ["year"])


def downgrade() -> None:
    op.drop_table("self_assessment")
