"""Caseworkers' outcomes of the person-record rule checks (核查结果) and the log of 公示 lists posted, both kept
as versions: a later entry for the same finding or list supersedes, the earlier ones stay.

Revision ID: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "finding_checks",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("finding", sa.String(160), nullable=False),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("amount", sa.Float, nullable=False),
        sa.Column("note", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_finding_checks_year", "finding_checks", ["year"])
    op.create_table(
        "postings",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("community", sa.String(160), nullable=False),
        sa.Column("recipients", sa.Integer, nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("posted_on", sa.Date, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_postings_year_month", "postings", ["year", "month"])


def downgrade() -> None:
    op.drop_table("postings")
    op.drop_table("finding_checks")
