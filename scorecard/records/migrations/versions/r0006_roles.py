"""Several roles per person (issue 13 §6): an account's roles are kept joined by 、 in users.role, and the audit
log records every role the actor held, so both columns are widened. An existing account's single role is a
valid value as it stands (省级, 市州, 数据管理员 keep their meaning), so nothing else is carried over.

Revision ID: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (("users", False), ("audit", True))


def upgrade() -> None:
    for table, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("role", type_=sa.String(80), existing_type=sa.String(16), existing_nullable=nullable)


def downgrade() -> None:
    for table, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("role", type_=sa.String(16), existing_type=sa.String(80), existing_nullable=nullable)
