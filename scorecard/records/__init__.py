"""The records layer: what the app keeps about people and their acts, in the records store (`store`: SQLite
beside the data database, or PostgreSQL by SCORECARD_RECORDS_URL; schema in `tables`, changed by the Alembic
revisions in migrations/; the version before's records taken over once by `legacy`).

- passwords: user names and passwords, argon2id hashing
- accounts: accounts and their changes
- signin: signing in with a password, and the lockout
- sessions: web sessions (the cookie's token, idle and maximum time)
- audit: the audit log
- warning_reports: warning reports (预警报告) with their history

Writes are started by the actions layer (scorecard.actions), which checks the permission first.
"""
