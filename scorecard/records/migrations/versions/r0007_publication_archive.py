"""Publications keep the whole result (to be drawn again as published); the records' generation (a number every
change of the records raises, so that a reader in another process sees that something changed).

Revision ID: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publications") as table:
        table.add_column(sa.Column("archive", sa.LargeBinary))
    meta = sa.table("records_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "generation", "value": "0"}])


def downgrade() -> None:
    op.execute("DELETE FROM records_meta WHERE key = 'generation'")
    with op.batch_alter_table("publications") as table:
        table.drop_column("archive")
