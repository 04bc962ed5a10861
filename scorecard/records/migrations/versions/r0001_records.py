"""The records as first kept in SQL: accounts, sign-in failures, sessions, the audit log, warning reports.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SERIAL = sa.BigInteger().with_variant(sa.Integer, "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("city", sa.String(16)),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("password_changed_at", sa.DateTime, nullable=False),
        sa.Column("last_sign_in", sa.DateTime))
    op.create_table(
        "sign_in_failures",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime))
    op.create_table(
        "sessions",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("end_reason", sa.String(32)))
    op.create_table(
        "audit",
        sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("who", sa.String(80), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("city", sa.String(16)),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("target", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("address", sa.String(64)))
    op.create_table(
        "warning_reports",
        sa.Column("report_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("city", sa.String(16), nullable=False),
        sa.Column("year", sa.SmallInteger, nullable=False),
        sa.Column("month", sa.SmallInteger, nullable=False),
        sa.Column("reported_local", sa.Date),
        sa.Column("filed_province", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("withdrawn", sa.Boolean, nullable=False),
        sa.Column("entered_at", sa.DateTime, nullable=False),
        sa.Column("entered_by", sa.Text),
        sa.Column("demo", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("report_id", "version"))
    op.create_table(
        "records_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text))


def downgrade() -> None:
    for name in ("records_meta", "warning_reports", "audit", "sessions", "sign_in_failures", "users"):
        op.drop_table(name)
