"""The one way to write: check the permission, write, add the audit line, tell the caches."""
