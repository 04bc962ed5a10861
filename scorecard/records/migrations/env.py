"""Alembic's entry: the store (records/store.py) hands over its connection, inside its transaction, in
`config.attributes`. This folder is no package: Alembic runs these files, nothing imports them."""

from alembic import context

from scorecard.records.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
