"""Assessors' decisions on record (加减分 and 一票否决 with their versions and evidence) and publications.

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("points", sa.Float),
        sa.Column("item", sa.Text),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("decided_on", sa.Date),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("change_reason", sa.Text),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("decision_id", "version"))
    op.create_index("decisions_year", "decisions", ["year"])
    op.create_table(
        "decision_evidence",
        sa.Column("decision_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("decision_id", "version", "position"))
    op.create_table(
        "publications",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("published_at", sa.DateTime, nullable=False),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("inputs", sa.Text, nullable=False),
        sa.UniqueConstraint("year", "number"))


def downgrade() -> None:
    for name in ("publications", "decision_evidence", "decisions"):
        op.drop_table(name)
