"""Alembic revisions of the records store, run by `records.store` when a store is opened (no alembic.ini)."""
