"""The records layer: what the app keeps about people and their acts — accounts and sessions, the audit
log, warning reports."""
