"""Alembic's entry: the store hands over its connection (inside its transaction) in `config.attributes`."""

from alembic import context

from scorecard.records.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
