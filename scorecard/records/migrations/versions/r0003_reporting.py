"""Monthly figures reported online (在线填报): their versions and every step (保存, 报送, 退回, 通过).

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "report_versions",
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("entered_by", sa.String(80), nullable=False),
        sa.Column("entered_at", sa.DateTime, nullable=False),
        sa.Column("submitted_by", sa.String(80)),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("reviewed_by", sa.String(80)),
        sa.Column("reviewed_at", sa.DateTime),
        sa.Column("review_reason", sa.Text),
        sa.Column("import_id", sa.Integer),
        sa.PrimaryKeyConstraint("city", "year", "month", "version"))
    op.create_table(
        "report_events",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("action", sa.String(8), nullable=False),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text))
    op.create_index("report_events_year", "report_events", ["year"])


def downgrade() -> None:
    for name in ("report_events", "report_versions"):
        op.drop_table(name)
