"""The one way to write: each function checks the permission (scorecard.roles), writes in one transaction with
its audit line (which raises the records' generation, the cache key of every reader: records.audit). Pages and the
CLI call these and never audit a write or clear a cache themselves.

- imports: import actuals (an upload checked on the page, a file at the command line)
- warnings: record, correct and withdraw a warning report
- users: add an account, change or reset its password, disable and enable it, lift a lockout, change its roles
- demo: build the demo database
"""
